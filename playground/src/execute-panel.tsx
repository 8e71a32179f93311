import type { ExecuteResponse } from "firecrawl-interact";
import { useExecute } from "firecrawl-interact/react-query";
import { type FormEvent, useState } from "react";

/** Props of {@link ExecutePanel}. */
export interface ExecutePanelProps {
  /** The live session to run code in; `null` disables the panel. */
  sessionId: string | null;
  /** Keeps Run disabled (while the start page opens: code run now would race it). */
  disabled?: boolean;
  /** Called after each run, whatever its outcome (the address bar then rereads the page). */
  onSettled?: () => void;
}

const EXAMPLE =
  'await page.goto("data:text/html,<h1>Hello from the playground</h1>");\nconsole.log(await page.title() || page.url());';

function formatOutput(result: ExecuteResponse): string {
  const printed = (result.stdout ?? "").replace(/\n$/, "");
  const parts = [printed];
  // `result` is the last expression's value (or, on older servers, what was printed: then it is not repeated).
  if (result.result != null && result.result.replace(/\n$/, "") !== printed) parts.push(`[result] ${result.result}`);
  if (result.stderr) parts.push(`[stderr]\n${result.stderr}`);
  if (result.error) parts.push(`[error] ${result.error}`);
  const flags = [result.killed ? ", killed" : "", result.truncated ? ", output truncated" : ""].join("");
  parts.push(`[exit ${result.exitCode ?? "?"}${flags}]`);
  return parts.filter((part) => part !== "").join("\n");
}

/** Runs Node code in the session (`page`, `context` and `browser` in scope) and shows its output. */
export function ExecutePanel({ sessionId, disabled = false, onSettled }: ExecutePanelProps) {
  const [code, setCode] = useState(EXAMPLE);
  const [runs, setRuns] = useState(0);
  const execute = useExecute(sessionId ?? "");
  const run = (event: FormEvent) => {
    event.preventDefault();
    if (!sessionId || disabled) return;
    setRuns((count) => count + 1);
    execute.mutate({ code, language: "node" }, { onSettled: () => onSettled?.() });
  };
  const output = execute.error
    ? `${execute.error.message} (${execute.error.code})`
    : execute.data
      ? formatOutput(execute.data)
      : "";
  return (
    <form className="card" onSubmit={run} aria-label="Execute code">
      <div className="card-head">
        <h2>Execute</h2>
        <span className="muted">node · page, context, browser in scope</span>
      </div>
      <textarea
        aria-label="Code"
        name="code"
        spellCheck={false}
        rows={4}
        value={code}
        onChange={(event) => setCode(event.target.value)}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={!sessionId || disabled || execute.isPending}>
          {execute.isPending ? "Running…" : "Run"}
        </button>
      </div>
      <output
        className="output"
        aria-label="Output"
        data-testid="execute-output"
        data-state={execute.status}
        data-runs={runs}
      >
        {output || "Output appears here."}
      </output>
    </form>
  );
}
