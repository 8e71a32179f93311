import type { InteractClient } from "firecrawl-interact";
import { useInteractClient } from "firecrawl-interact/react";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  backCode,
  forwardCode,
  gotoCode,
  NAVIGATION_EXECUTE_TIMEOUT_S,
  type PageState,
  readPageState,
  reloadCode,
  stateCode,
} from "./address.js";

/** Options of {@link useSessionBrowser}. */
export interface SessionBrowserOptions {
  /** Page a new session opens on (once, right after it is live), or `null` to leave it where it is. */
  startUrl: string | null;
  /** Poll the page state while the tab is visible (the person may be clicking links in the interactive view). */
  poll: boolean;
}

/** What {@link useSessionBrowser} returns. */
export interface SessionBrowser {
  /** The page as last reported, `null` before the first report. */
  page: PageState | null;
  /** What is being done right now ("Opening the start page…"), else `null`. */
  pending: string | null;
  /** Why the last action failed (the API's error, or the navigation's), else `null`. */
  error: string | null;
  /** True while the start page is being opened: other code would race it. */
  starting: boolean;
  navigate: (url: string) => void;
  back: () => void;
  forward: () => void;
  reload: () => void;
  /** Asks for the page state now (after code ran elsewhere). */
  refresh: () => void;
}

/** Milliseconds between two state polls. */
export const POLL_INTERVAL_MS = 1500;

interface View {
  id: string | null;
  page: PageState | null;
  pending: string | null;
  error: string | null;
  starting: boolean;
}

const EMPTY: Omit<View, "id"> = { page: null, pending: null, error: null, starting: false };

interface Track {
  id: string | null;
  queue: Promise<void>;
  /** Actions queued or running. */
  busy: number;
  /** True once anything was asked of this session (then the start page is not forced on it). */
  touched: boolean;
}

/** A session's queue before anything was asked of it. */
const freshTrack = (id: string | null): Track => ({ id, queue: Promise.resolve(), busy: 0, touched: false });

/**
 * Runs navigation code in the session and says what the view learns from it: the page it reports (with its error),
 * or why it failed; `null` when nothing is to be shown (a quiet poll shows no failures).
 */
async function pageReport(
  client: InteractClient,
  id: string,
  code: string,
  quiet: boolean,
): Promise<Partial<Omit<View, "id">> | null> {
  try {
    const response = await client.execute(id, { code, language: "node", timeout: NAVIGATION_EXECUTE_TIMEOUT_S });
    const state = readPageState(response);
    if (state) return quiet && !state.error ? { page: state } : { page: state, error: state.error };
    return quiet ? null : { error: response.error ?? response.stderr ?? "The session did not report its page" };
  } catch (caught) {
    if (quiet) return null;
    const failure = caught as { message?: string; code?: string };
    return { error: failure.code ? `${failure.message} (${failure.code})` : String(failure.message ?? caught) };
  }
}

/**
 * What is shown, kept with the session it is about, so a new session starts blank without a reset effect; `update`
 * patches the view of one session (a patch for a session no longer shown starts that session's view afresh).
 */
function useSessionView(sessionId: string | null) {
  const [view, setView] = useState<View>(() => ({ ...EMPTY, id: sessionId }));
  const update = useCallback((id: string, patch: Partial<Omit<View, "id">>) => {
    setView((previous) => ({ ...(previous.id === id ? previous : { ...EMPTY, id }), ...patch }));
  }, []);
  return { shown: view.id === sessionId ? view : { ...EMPTY, id: sessionId }, update };
}

/**
 * The address bar's view of a session: drives its page only through `execute` (works on the emulator and on
 * Firecrawl), one call at a time, and keeps the URL and title current.
 *
 * Polling is an execute too, which counts as activity and keeps the session from idling out: so it runs only while
 * asked (`poll`, i.e. the interactive view, where clicks can navigate) and the tab is visible, and never while
 * another action is queued. In the read-only view only code moves the page, and the code box calls `refresh`.
 */
export function useSessionBrowser(sessionId: string | null, options: SessionBrowserOptions): SessionBrowser {
  const client = useInteractClient();
  const { shown, update } = useSessionView(sessionId);
  const track = useRef<Track>(freshTrack(null));
  if (track.current.id !== sessionId) track.current = freshTrack(sessionId);
  const run = useCallback(
    (code: string, label: string | null, quiet = false): Promise<void> => {
      const current = track.current;
      const id = current.id;
      if (!id) return Promise.resolve();
      current.touched = true;
      current.busy += 1;
      const isCurrent = () => track.current === current;
      const step = async () => {
        if (label && isCurrent()) update(id, { pending: label, error: null });
        try {
          const patch = await pageReport(client, id, code, quiet);
          if (patch && isCurrent()) update(id, patch);
        } finally {
          current.busy -= 1;
          if (isCurrent() && current.busy === 0) update(id, { pending: null });
        }
      };
      current.queue = current.queue.then(step);
      return current.queue;
    },
    [client, update],
  );

  const { startUrl, poll } = options;
  // Open the start page once per session, unless the person already asked for something else.
  useEffect(() => {
    const current = track.current;
    if (!sessionId || !startUrl || current.touched) return;
    update(sessionId, { starting: true });
    void run(gotoCode(startUrl), "Opening the start page…").then(() => update(sessionId, { starting: false }));
  }, [sessionId, startUrl, run, update]);

  useEffect(() => {
    if (!sessionId || !poll) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible" || track.current.busy > 0) return;
      void run(stateCode(), null, true);
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [sessionId, poll, run]);

  return {
    page: shown.page,
    pending: shown.pending,
    error: shown.error,
    starting: shown.starting,
    navigate: useCallback((url: string) => void run(gotoCode(url), `Opening ${url}…`), [run]),
    back: useCallback(() => void run(backCode(), "Going back…"), [run]),
    forward: useCallback(() => void run(forwardCode(), "Going forward…"), [run]),
    reload: useCallback(() => void run(reloadCode(), "Reloading…"), [run]),
    refresh: useCallback(() => void run(stateCode(), null, true), [run]),
  };
}
