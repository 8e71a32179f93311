import { LiveView, type LiveViewState, useInteractSession } from "firecrawl-interact/react";
import { useState } from "react";
import { AddressBar } from "./address-bar.js";
import { ExecutePanel } from "./execute-panel.js";
import { DEFAULT_FORM, toCreateBody } from "./form.js";
import { ScrapePanel } from "./scrape-panel.js";
import { SessionForm } from "./session-form.js";
import { SessionList } from "./session-list.js";
import { SessionStatus } from "./session-status.js";
import { type PlaygroundInfo, usePlaygroundInfo } from "./use-playground-info.js";
import { useSessionBrowser } from "./use-session-browser.js";

/** The brand and the banner that says which API the proxy talks to. */
function TopBar({ info }: { info: PlaygroundInfo | null }) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◉
        </span>
        <h1>firecrawl-interact</h1>
        <span className="muted">playground</span>
      </div>
      <span className={`banner banner-${info?.mode ?? "unknown"}`} data-testid="banner">
        {info ? info.label : "connecting…"}
      </span>
    </header>
  );
}

/** The live view's state and its Read-only / Interactive switch. */
function ViewTools(props: { viewState: LiveViewState; interactive: boolean; onInteractive: (on: boolean) => void }) {
  const { viewState, interactive, onInteractive } = props;
  return (
    <div className="view-tools">
      <span className={`pill pill-view-${viewState}`} data-testid="view-state">
        {viewState}
      </span>
      <fieldset className="segmented">
        <legend className="sr-only">Live view mode</legend>
        <button type="button" aria-pressed={!interactive} onClick={() => onInteractive(false)}>
          Read-only
        </button>
        <button type="button" aria-pressed={interactive} onClick={() => onInteractive(true)}>
          Interactive
        </button>
      </fieldset>
    </div>
  );
}

/** The playground: create a session, watch and drive it, run code in it, see every session, scrape and interact. */
export function App() {
  const info = usePlaygroundInfo();
  const [form, setForm] = useState(DEFAULT_FORM);
  const [interactive, setInteractive] = useState(false);
  const [viewState, setViewState] = useState<LiveViewState>("idle");
  const session = useInteractSession();
  const busy = session.status === "creating" || session.status === "live";
  const liveId = session.status === "live" ? (session.session?.id ?? null) : null;
  // A new session opens on info.startUrl; the URL and title are polled while the person can click in the view.
  const browser = useSessionBrowser(liveId, { startUrl: info?.startUrl ?? null, poll: interactive });

  return (
    <div className="app">
      <TopBar info={info} />
      <main className="layout">
        <aside className="sidebar">
          <SessionForm
            values={form}
            onChange={setForm}
            busy={busy}
            onStart={() => void session.start(toCreateBody(form))}
            onStop={() => void session.stop()}
          />
          <SessionStatus session={session} />
          <SessionList />
        </aside>
        <section className="stage">
          <div className="card view-card">
            <div className="card-head">
              <h2>Live view</h2>
              <ViewTools viewState={viewState} interactive={interactive} onInteractive={setInteractive} />
            </div>
            <AddressBar browser={browser} live={liveId !== null} />
            <LiveView
              className="live-view"
              session={session.session}
              status={session.status}
              interactive={interactive}
              allowFullscreen
              onStateChange={setViewState}
              fallback={<span className="muted">Start a session to watch a real browser here.</span>}
            />
          </div>
          <ExecutePanel sessionId={liveId} disabled={browser.starting} onSettled={browser.refresh} />
          <ScrapePanel defaultUrl={info?.startUrl} />
        </section>
      </main>
    </div>
  );
}
