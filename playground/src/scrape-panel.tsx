import type { InteractError, ScrapeInteractRequest, ScrapeInteractResponse } from "firecrawl-interact";
import {
  LiveView,
  type LiveViewState,
  type UseScrapeInteractionResult,
  useScrapeInteraction,
} from "firecrawl-interact/react";
import { type FormEvent, useState } from "react";
import type { ScrapeData } from "./scrape.js";
import { type ScrapeState, useScrapePage } from "./use-scrape-page.js";

/** Props of {@link ScrapePanel}. */
export interface ScrapePanelProps {
  /** URL the scrape field starts with (the start page on the emulator); the person can type any other. */
  defaultUrl: string | undefined;
}

const EXAMPLE_CODE = `const heading = await page.textContent("h1");
JSON.stringify({ title: await page.title(), heading, url: page.url() });`;
const EXAMPLE_PROMPT = "Open the first link and tell me what the page is about";
const MARKDOWN_PREVIEW_CHARS = 600;

/** The sentence shown for a failed call: a prompt without an agent gets what to do about it. */
function ErrorNote({ error }: { error: InteractError }) {
  if (error.code === "agent_not_configured") {
    return (
      <div className="notice" role="alert" data-testid="scrape-agent-note">
        <strong>Prompts need an AI agent.</strong>
        <span>
          The embedded emulator has none: run code instead, plug one in with <code>startEmulator({"{ agent }"})</code>,
          or set <code>FIRECRAWL_API_KEY</code> to use Firecrawl.
        </span>
        <small className="muted">
          {error.message} ({error.code})
        </small>
      </div>
    );
  }
  return (
    <p className="error" role="alert">
      {error.message} ({error.code})
    </p>
  );
}

function formatAnswer(response: ScrapeInteractResponse): string {
  const parts: string[] = [];
  if (response.output) parts.push(response.output);
  const printed = (response.stdout ?? "").replace(/\n$/, "");
  if (printed) parts.push(printed);
  if (response.result != null && response.result.replace(/\n$/, "") !== printed)
    parts.push(`[result] ${response.result}`);
  if (response.stderr) parts.push(`[stderr]\n${response.stderr}`);
  if (response.error) parts.push(`[error] ${response.error}`);
  if (response.exitCode !== undefined && response.exitCode !== null) parts.push(`[exit ${response.exitCode}]`);
  return parts.join("\n");
}

/** The output box's state, for styling and for tests: running, the last call's failure or answer, or nothing yet. */
function outputState(interaction: UseScrapeInteractionResult): "running" | "error" | "success" | "idle" {
  if (interaction.isRunning) return "running";
  if (interaction.error) return "error";
  return interaction.response ? "success" : "idle";
}

/** The scrape form: the page's URL and the Scrape button. */
function ScrapeForm(props: {
  url: string;
  loading: boolean;
  onUrl: (url: string) => void;
  onSubmit: (event: FormEvent) => void;
}) {
  return (
    <form className="inline-form" onSubmit={props.onSubmit} aria-label="Scrape a page">
      <input
        type="text"
        name="scrapeUrl"
        aria-label="Page to scrape"
        autoComplete="off"
        spellCheck={false}
        value={props.url}
        placeholder="https://example.com"
        onChange={(event) => props.onUrl(event.target.value)}
      />
      <button type="submit" className="primary" disabled={props.loading}>
        {props.loading ? "Scraping…" : "Scrape"}
      </button>
    </form>
  );
}

/** What the scrape found: title, status, URL, scrapeId, links and the start of its markdown. */
function ScrapeResult({ data, scrapeId }: { data: ScrapeData; scrapeId: string | null }) {
  const { metadata } = data;
  return (
    <div className="scrape-result">
      <dl className="facts">
        <dt>title</dt>
        <dd data-testid="scrape-title">{metadata?.title || "—"}</dd>
        <dt>status</dt>
        <dd>{metadata?.statusCode ?? "—"}</dd>
        <dt>url</dt>
        <dd className="mono">{metadata?.url ?? metadata?.sourceURL ?? "—"}</dd>
        <dt>scrapeId</dt>
        <dd className="mono" data-testid="scrape-id">
          {scrapeId ?? "none: this answer has no metadata.scrapeId"}
        </dd>
        <dt>links</dt>
        <dd>{data.links?.length ?? 0}</dd>
      </dl>
      <pre className="output markdown" data-testid="scrape-markdown">
        {(data.markdown ?? "").slice(0, MARKDOWN_PREVIEW_CHARS) || "(no markdown)"}
        {(data.markdown?.length ?? 0) > MARKDOWN_PREVIEW_CHARS ? "\n…" : ""}
      </pre>
    </div>
  );
}

/** The scrape's state: a hint before the first scrape, progress, the failure, or the result. */
function ScrapeStatus({ scrape, scrapeId }: { scrape: ScrapeState; scrapeId: string | null }) {
  return (
    <div data-testid="scrape-state" data-state={scrape.status}>
      {scrape.status === "idle" ? (
        <p className="muted">Scrape a page to get a scrape id; code and prompts then act on its browser.</p>
      ) : null}
      {scrape.status === "loading" ? <p className="muted">Scraping {scrape.url}…</p> : null}
      {scrape.status === "error" ? (
        <p className="error" role="alert">
          {scrape.error.message} ({scrape.error.code})
        </p>
      ) : null}
      {scrape.status === "done" ? <ScrapeResult data={scrape.data} scrapeId={scrapeId} /> : null}
    </div>
  );
}

/** Code to run on the scrape's browser (Playwright's `page` is in scope). */
function CodeForm({ canRun, onRun }: { canRun: boolean; onRun: (body: ScrapeInteractRequest) => void }) {
  const [code, setCode] = useState(EXAMPLE_CODE);
  return (
    <form
      className="stack"
      aria-label="Run code on the scrape"
      onSubmit={(event) => {
        event.preventDefault();
        if (canRun) onRun({ code, language: "node" });
      }}
    >
      <textarea
        aria-label="Code for the scraped page"
        name="scrapeCode"
        spellCheck={false}
        rows={3}
        value={code}
        onChange={(event) => setCode(event.target.value)}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={!canRun}>
          Execute on page
        </button>
      </div>
    </form>
  );
}

/** A prompt for the agent on the scrape's browser, and the button that stops that browser. */
function PromptForm(props: {
  canRun: boolean;
  canStop: boolean;
  onRun: (body: ScrapeInteractRequest) => void;
  onStop: () => void;
}) {
  const { canRun, onRun } = props;
  const [prompt, setPrompt] = useState(EXAMPLE_PROMPT);
  return (
    <form
      className="stack"
      aria-label="Ask the agent"
      onSubmit={(event) => {
        event.preventDefault();
        if (canRun && prompt.trim() !== "") onRun({ prompt });
      }}
    >
      <textarea
        aria-label="Prompt"
        name="scrapePrompt"
        rows={3}
        value={prompt}
        onChange={(event) => setPrompt(event.target.value)}
      />
      <div className="actions">
        <button type="submit" disabled={!canRun}>
          Send prompt
        </button>
        <button type="button" disabled={!props.canStop} onClick={props.onStop}>
          Stop browser
        </button>
      </div>
    </form>
  );
}

/** The scrape's browser: its status, the view's state, Take over, and the live view itself. */
function ScrapeBrowser({ interaction }: { interaction: UseScrapeInteractionResult }) {
  const [takeOver, setTakeOver] = useState(false);
  const [viewState, setViewState] = useState<LiveViewState>("idle");
  return (
    <>
      <div className="card-head">
        <span className="muted">
          Browser: <span data-testid="scrape-status">{interaction.status}</span> · view{" "}
          <span data-testid="scrape-view-state">{viewState}</span>
        </span>
        <button
          type="button"
          aria-pressed={takeOver}
          disabled={!interaction.session}
          onClick={() => setTakeOver((value) => !value)}
        >
          Take over
        </button>
      </div>
      <LiveView
        className="scrape-view"
        title="Live view of the scrape's browser"
        session={interaction.session}
        status={interaction.status}
        interactive={takeOver}
        allowFullscreen
        onStateChange={setViewState}
        fallback={<span className="muted">Run code or a prompt to open the scrape's browser here.</span>}
      />
    </>
  );
}

/** Scrape a page, run code or a prompt on the browser it leaves behind, watch it and take it over. */
export function ScrapePanel({ defaultUrl }: ScrapePanelProps) {
  const page = useScrapePage(defaultUrl);
  const { scrape } = page;
  const [runs, setRuns] = useState(0);
  const scrapeId = scrape.status === "done" ? (scrape.data.metadata?.scrapeId ?? null) : null;
  // A new scrapeId gets a fresh browser: the hook stops the previous one.
  const interaction = useScrapeInteraction(scrapeId);
  const run = (body: ScrapeInteractRequest) => {
    setRuns((count) => count + 1);
    void interaction.run(body);
  };
  const canRun = scrapeId !== null && !interaction.isRunning;
  const answer = interaction.response ? formatAnswer(interaction.response) : "";

  return (
    <section className="card scrape-panel" aria-labelledby="scrape-heading">
      <div className="card-head">
        <h2 id="scrape-heading">Scrape &amp; interact</h2>
        <span className="muted">POST /scrape, then /scrape/{"{id}"}/interact</span>
      </div>
      <ScrapeForm url={page.url} loading={scrape.status === "loading"} onUrl={page.setUrl} onSubmit={page.submit} />
      <ScrapeStatus scrape={scrape} scrapeId={scrapeId} />
      <div className="interact-grid">
        <CodeForm canRun={canRun} onRun={run} />
        <PromptForm
          canRun={canRun}
          canStop={interaction.status === "live" || interaction.isRunning}
          onRun={run}
          onStop={() => void interaction.stop()}
        />
      </div>
      {interaction.error ? <ErrorNote error={interaction.error} /> : null}
      <output
        className="output"
        aria-label="Scrape interaction output"
        data-testid="scrape-output"
        data-state={outputState(interaction)}
        data-runs={runs}
      >
        {interaction.isRunning ? "Running…" : answer || "Output and result appear here."}
      </output>
      <ScrapeBrowser interaction={interaction} />
    </section>
  );
}
