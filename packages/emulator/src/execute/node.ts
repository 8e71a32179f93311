import { createRequire } from "node:module";
import { type Node, parse } from "acorn";
import { type RunChild, spawnRun } from "./run-tree.js";
import { type ExecuteJob, type ExecuteRun, MAX_OUTPUT_BYTES, supervise } from "./supervise.js";

/**
 * Rewrites Node code so the value of its last top-level expression becomes the run's result, as a REPL shows it:
 * `...; const title = await page.title(); JSON.stringify({ title });` yields that JSON string. The code runs as the
 * body of an async function (so top-level `await` and an explicit `return` work); when its last statement is an
 * expression, that expression is returned. A last statement that is a declaration, a block or a throw is left as it
 * is (no value, or the error). Code that does not parse is returned unchanged: running it reports the SyntaxError.
 */
export function captureLastExpression(code: string): string {
  let body: Node[];
  try {
    body = parse(code, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
    }).body;
  } catch {
    return code;
  }
  const last = body.at(-1);
  if (last?.type !== "ExpressionStatement") return code;
  // The statement's own text (its parentheses included, its semicolon left out) becomes the returned value.
  const { start } = last;
  const end = code[last.end - 1] === ";" ? last.end - 1 : last.end;
  // The newline before `)` keeps a line comment inside the statement from swallowing the parenthesis.
  return `${code.slice(0, start)}return (${code.slice(start, end)}\n);${code.slice(end)}`;
}

/**
 * The Node runner child: loads playwright-core right away (the slow part, so a spare child can do it ahead of time),
 * then reads its job from stdin, connects over CDP, picks the active tab and runs the code as an async function body
 * with `page`, `context` and `browser` in scope. What the code returns is serialized (strings as they are, other
 * values as JSON, else `String()`; `undefined` → null) and reported on fd 3 with any error; stdout is the code's own.
 */
export const NODE_RUNNER = String.raw`
import { writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
const MAX_RESULT_BYTES = Number(process.env.FCI_MAX_RESULT_BYTES);
const report = (value) => { try { writeSync(3, JSON.stringify(value)); } catch {} };
// stdout and stderr are sockets, written asynchronously: exit only once what was written has left, or it is lost.
const flushed = (stream) => new Promise((resolve) => stream.write("", () => resolve()));
const exit = async (code) => {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
};
const serialize = (value) => {
  if (value === undefined) return null;
  if (typeof value === "string") return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {}
  try { return String(value); } catch { return Object.prototype.toString.call(value); }
};
// The user's frames read "<code>:line:column" (the function wrapper adds two lines); the runner's own are dropped,
// and so are Node's internals (which of them sit below the code depends on how its CDP answers arrived).
const cleanStack = (stack) =>
  stack
    .split("\n")
    .filter((line) => !/\[eval\d*\]:\d+:\d+\)?$/.test(line) && !/^\s*at new AsyncFunction \(<anonymous>\)$/.test(line))
    .filter((line) => !/^\s*at (?:.* \()?node:internal\/.*\)?$/.test(line))
    .map((line) =>
      line.replace(
        /at (?:async )?eval \((?:eval at [^,]*, )?<anonymous>:(\d+):(\d+)\)$/,
        (_, row, column) => "at <code>:" + (Number(row) - 2) + ":" + column,
      ),
    )
    .join("\n");
const loading = import(pathToFileURL(process.env.FCI_PLAYWRIGHT).href);
loading.catch(() => {});
let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
try {
  const job = JSON.parse(input);
  const playwright = await loading;
  const chromium = playwright.chromium ?? playwright.default.chromium;
  const browser = await chromium.connectOverCDP(job.wsEndpoint);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const pages = context.pages();
  let page = pages[0];
  if (pages.length > 1 && job.activeTargetId) {
    for (const candidate of pages) {
      const cdp = await context.newCDPSession(candidate);
      const { targetInfo } = await cdp.send("Target.getTargetInfo");
      await cdp.detach();
      if (targetInfo.targetId === job.activeTargetId) page = candidate;
    }
  }
  page ??= await context.newPage();
  const AsyncFunction = (async () => {}).constructor;
  const value = await new AsyncFunction("page", "context", "browser", job.code)(page, context, browser);
  let result = serialize(value);
  let resultTruncated = false;
  if (result !== null && Buffer.byteLength(result) > MAX_RESULT_BYTES) {
    result = Buffer.from(result).subarray(0, MAX_RESULT_BYTES).toString("utf8");
    resultTruncated = true;
  }
  report({ result, resultTruncated });
  await exit(0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof Error && error.stack ? cleanStack(error.stack) : message);
  report({ error: message });
  await exit(1);
}
`;

let playwrightEntry: string | undefined;
const resolvePlaywright = () => {
  playwrightEntry ??= createRequire(import.meta.url).resolve("playwright-core");
  return playwrightEntry;
};

/** Spawns a Node runner child (in a run tree of its own) that starts loading playwright-core at once. */
export function spawnNodeRunner(): RunChild {
  return spawnRun(process.execPath, ["--input-type=module", "-e", NODE_RUNNER], {
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      FCI_PLAYWRIGHT: resolvePlaywright(),
      FCI_MAX_RESULT_BYTES: String(MAX_OUTPUT_BYTES),
    },
  });
}

/** Runs Node code in a runner child (default a fresh one) with `page`, `context` and `browser` in scope. */
export function runNodeCode(job: ExecuteJob, runner: RunChild = spawnNodeRunner()): ExecuteRun {
  const code = captureLastExpression(job.code);
  return supervise(runner, {
    timeoutSeconds: job.timeoutSeconds,
    stdin: JSON.stringify({ wsEndpoint: job.wsEndpoint, activeTargetId: job.activeTargetId, code }),
    result: "report",
  });
}
