import type { InteractError, ScrapeInteractResponse } from "firecrawl-interact";
import { LiveView, type LiveViewState, useScrapeInteraction } from "firecrawl-interact/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { normalizeAddress } from "./address.js";
import { type ScrapeData, ScrapeError, scrapePage } from "./scrape.js";

/** Props of {@link ScrapePanel}. */
export interface ScrapePanelProps {
  /** URL the scrape field starts with (the start page on the emulator); the person can type any other. */
  defaultUrl: string | undefined;
}

const EXAMPLE_CODE = `const heading = await page.textContent("h1");
JSON.stringify({ title: await page.title(), heading, url: page.url() });`;
const EXAMPLE_PROMPT = "Open the first link and tell me what the page is about";
const MARKDOWN_PREVIEW_CHARS = 600;

type ScrapeState =
  | { status: "idle" }
  | { status: "loading"; url: string }
  | { status: "done"; data: ScrapeData }
  | { status: "error"; error: ScrapeError };

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

/** Scrape a page, run code or a prompt on the browser it leaves behind, watch it and take it over. */
export function ScrapePanel({ defaultUrl }: ScrapePanelProps) {
  const [url, setUrl] = useState<string | null>(null);
  const [scrape, setScrape] = useState<ScrapeState>({ status: "idle" });
  const [code, setCode] = useState(EXAMPLE_CODE);
  const [prompt, setPrompt] = useState(EXAMPLE_PROMPT);
  const [takeOver, setTakeOver] = useState(false);
  const [viewState, setViewState] = useState<LiveViewState>("idle");
  const [runs, setRuns] = useState(0);
  const aborter = useRef<AbortController | null>(null);
  const scrapeId = scrape.status === "done" ? (scrape.data.metadata?.scrapeId ?? null) : null;
  // A new scrapeId gets a fresh browser: the hook stops the previous one.
  const interaction = useScrapeInteraction(scrapeId);
  useEffect(() => () => aborter.current?.abort(), []);

  const shownUrl = url ?? defaultUrl ?? "";
  const submitScrape = (event: FormEvent) => {
    event.preventDefault();
    const address = normalizeAddress(shownUrl);
    if (!address.ok) {
      setScrape({ status: "error", error: new ScrapeError(address.error, "invalid_url", 0) });
      return;
    }
    aborter.current?.abort();
    const controller = new AbortController();
    aborter.current = controller;
    setScrape({ status: "loading", url: address.url });
    scrapePage(address.url, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setScrape({ status: "done", data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof ScrapeError ? error : new ScrapeError(String(error), "network_error", 0);
        setScrape({ status: "error", error: failure });
      },
    );
  };

  const run = (body: { code: string; language: "node" } | { prompt: string }) => {
    setRuns((count) => count + 1);
    void interaction.run(body);
  };
  const canRun = scrapeId !== null && !interaction.isRunning;
  const answer = interaction.response ? formatAnswer(interaction.response) : "";
  const outputState = interaction.isRunning
    ? "running"
    : interaction.error
      ? "error"
      : interaction.response
        ? "success"
        : "idle";
  const metadata = scrape.status === "done" ? scrape.data.metadata : undefined;

  return (
    <section className="card scrape-panel" aria-labelledby="scrape-heading">
      <div className="card-head">
        <h2 id="scrape-heading">Scrape &amp; interact</h2>
        <span className="muted">POST /scrape, then /scrape/{"{id}"}/interact</span>
      </div>
      <form className="inline-form" onSubmit={submitScrape} aria-label="Scrape a page">
        <input
          type="text"
          name="scrapeUrl"
          aria-label="Page to scrape"
          autoComplete="off"
          spellCheck={false}
          value={shownUrl}
          placeholder="https://example.com"
          onChange={(event) => setUrl(event.target.value)}
        />
        <button type="submit" className="primary" disabled={scrape.status === "loading"}>
          {scrape.status === "loading" ? "Scraping…" : "Scrape"}
        </button>
      </form>
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
        {scrape.status === "done" ? (
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
              <dd>{scrape.data.links?.length ?? 0}</dd>
            </dl>
            <pre className="output markdown" data-testid="scrape-markdown">
              {(scrape.data.markdown ?? "").slice(0, MARKDOWN_PREVIEW_CHARS) || "(no markdown)"}
              {(scrape.data.markdown?.length ?? 0) > MARKDOWN_PREVIEW_CHARS ? "\n…" : ""}
            </pre>
          </div>
        ) : null}
      </div>
      <div className="interact-grid">
        <form
          className="stack"
          aria-label="Run code on the scrape"
          onSubmit={(event) => {
            event.preventDefault();
            if (canRun) run({ code, language: "node" });
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
        <form
          className="stack"
          aria-label="Ask the agent"
          onSubmit={(event) => {
            event.preventDefault();
            if (canRun && prompt.trim() !== "") run({ prompt });
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
            <button
              type="button"
              disabled={interaction.status !== "live" && !interaction.isRunning}
              onClick={() => void interaction.stop()}
            >
              Stop browser
            </button>
          </div>
        </form>
      </div>
      {interaction.error ? <ErrorNote error={interaction.error} /> : null}
      <output
        className="output"
        aria-label="Scrape interaction output"
        data-testid="scrape-output"
        data-state={outputState}
        data-runs={runs}
      >
        {interaction.isRunning ? "Running…" : answer || "Output and result appear here."}
      </output>
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
    </section>
  );
}
