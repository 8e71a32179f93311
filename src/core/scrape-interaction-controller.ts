import { type InteractError, toInteractError } from "./errors.js";
import { createLifecycle, isGone, type Lifecycle } from "./lifecycle.js";
import type { LiveViewSession } from "./live-view-session.js";
import type { ScrapeInteractRequest, ScrapeInteractResponse } from "./types.js";

/**
 * Where the browser of a scrape is: `idle` before any call, `creating` while the first call runs (it opens the
 * browser), `live` once a call answered, `ended` after a stop, `error` when no browser is open because a call or the
 * stop failed. A subset of `useInteractSession`'s statuses, so `<LiveView status>` takes it.
 */
export type ScrapeInteractionStatus = "idle" | "creating" | "live" | "ended" | "error";

/** What a {@link ScrapeInteractionController} knows at one moment; replaced (never mutated) on every change. */
export interface ScrapeInteractionState {
  /** Lifecycle status of the scrape's browser. */
  readonly status: ScrapeInteractionStatus;
  /** True while a call is queued or running. */
  readonly isRunning: boolean;
  /** The answer of the last call that settled, `null` before one and when it failed. */
  readonly response: ScrapeInteractResponse | null;
  /** The typed error of the last call (or stop) that failed, `null` when it succeeded. */
  readonly error: InteractError | null;
  /** The browser's live-view URLs as `<LiveView session>` reads them, `null` until a call answered. */
  readonly session: LiveViewSession | null;
}

/** What a {@link ScrapeInteractionController} needs of a client: an `InteractClient` fits. */
export interface ScrapeInteractionClient {
  /** Runs code or a prompt on the scrape's browser (`POST /scrape/{jobId}/interact`); the first call opens it. */
  interact(scrapeId: string, body: ScrapeInteractRequest): Promise<ScrapeInteractResponse>;
  /** Stops the scrape's browser (`DELETE /scrape/{jobId}/interact`); `keepalive` lets it outlive an unloading page. */
  stopInteraction(scrapeId: string, options?: { keepalive?: boolean | undefined }): Promise<unknown>;
}

/** What a {@link ScrapeInteractionController} reads on every action; the hook refreshes it on every render. */
export interface ScrapeInteractionConfig {
  /** The client that runs calls and stops the browser. */
  client: ScrapeInteractionClient;
  /** Stop the browser when the owner detaches for good (unless `false`). */
  stopOnUnmount?: boolean | undefined;
  /** Send a `keepalive` stop when the page is hidden for unload (unless `false`). */
  stopOnPageHide?: boolean | undefined;
}

/** Owns the browser of one scrape: calls in order, one stop per stop intent, cleanup on detach/pagehide. */
export interface ScrapeInteractionController extends Lifecycle<ScrapeInteractionState, ScrapeInteractionConfig> {
  /** The scrape this controller acts on; `null` makes every action a no-op. */
  readonly scrapeId: string | null;
  /** Runs code or a prompt after the calls before it; resolves with the answer, or `null`. Never rejects. */
  run(body: ScrapeInteractRequest): Promise<ScrapeInteractResponse | null>;
  /** Stops the browser a call opened with one `DELETE` however often it is called. Never rejects. */
  stop(): Promise<void>;
  /** Marks the owner as unmounted; a real unmount (not StrictMode's simulated one) stops the browser for good. */
  detach(): void;
}

const IDLE_STATE: ScrapeInteractionState = {
  status: "idle",
  isRunning: false,
  response: null,
  error: null,
  session: null,
};

/** The live-view URLs after `answer`: the previous object while the URLs stay the same, so `<LiveView>` sees no change. */
const liveViewAfter = (previous: LiveViewSession | null, answer: ScrapeInteractResponse): LiveViewSession => {
  const liveViewUrl = answer.liveViewUrl || previous?.liveViewUrl || undefined;
  const interactiveLiveViewUrl = answer.interactiveLiveViewUrl || previous?.interactiveLiveViewUrl || undefined;
  return previous && previous.liveViewUrl === liveViewUrl && previous.interactiveLiveViewUrl === interactiveLiveViewUrl
    ? previous
    : { liveViewUrl, interactiveLiveViewUrl };
};

/** Sends a call; resolves with its answer, or with the typed error it failed with (never rejects, even on a throw). */
const attempt = async (
  send: () => Promise<ScrapeInteractResponse>,
): Promise<[answer: ScrapeInteractResponse | null, error: InteractError | null]> => {
  try {
    return [await send(), null];
  } catch (cause) {
    return [null, toInteractError(cause)];
  }
};

/**
 * What a settled call of the current intent shows: its answer (and the live view it reports), or its typed error, with
 * the browser still live when one is open, still opening when other calls are pending, else in error.
 */
const afterCall = (
  { session }: ScrapeInteractionState,
  answer: ScrapeInteractResponse | null,
  error: InteractError | null,
  open: boolean,
  pending: number,
): Partial<ScrapeInteractionState> => {
  if (!error) {
    const view = liveViewAfter(session, answer as ScrapeInteractResponse);
    return { status: "live", isRunning: pending > 0, response: answer, error, session: view };
  }
  let status: ScrapeInteractionStatus = pending ? "creating" : "error";
  if (open) status = "live";
  return { status, isRunning: pending > 0, response: null, error };
};

/**
 * Creates the controller of one scrape's browser. Calls go out one after another (the first opens the browser, the
 * next reuse it), so two quick calls never open two browsers; a call made after a stop goes out once the stop settled,
 * and one made after a real unmount (with `stopOnUnmount`) goes nowhere: it would open a browser nobody would stop.
 * `intent` is bumped by every stop, so a call queued or answering after it knows it is stale; `open` means a call
 * answered and no `DELETE` went out since: whoever clears it owns the stop (at once when open, after the running call
 * when that call may open it). `deletes` counts the `DELETE`s sent, so an answer to a call that was running while one
 * went out does not mark the browser open again. `pending` counts the calls of the current intent that have not
 * settled; `tail` settles after the last queued call or stop. Any answer means the browser runs, and a call after a
 * stop opens a new one (the old URLs are dead). A failed `DELETE` (other than 404/410) keeps the browser
 * open for another stop, except on unload, which gets no second chance.
 */
export const createScrapeInteractionController = (
  scrapeId: string | null,
  initial: ScrapeInteractionConfig,
): ScrapeInteractionController => {
  let intent = 0;
  let open = false;
  let deletes = 0;
  let pending = 0;
  let tail: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let disposed = false;
  const [controls, set, state, config] = createLifecycle(IDLE_STATE, initial, end, (mounted) => {
    if (!mounted && config().stopOnUnmount !== false) disposed = true;
  });
  async function call(id: string, body: ScrapeInteractRequest, owner: number) {
    if (owner !== intent) return null;
    const sentAfter = deletes;
    const [answer, error] = await attempt(() => config().client.interact(id, body));
    if (!error && deletes === sentAfter) open = true;
    if (owner !== intent) return null;
    set(afterCall(state(), answer, error, open, --pending));
    return answer;
  }
  async function remove(id: string, keepalive: boolean, owner: number): Promise<void> {
    open = false;
    deletes++;
    try {
      await config().client.stopInteraction(id, { keepalive });
    } catch (cause) {
      const error = toInteractError(cause);
      if (keepalive || owner !== intent || isGone(error)) return;
      open = true;
      set({ status: "error", isRunning: false, error });
    }
  }
  function end(keepalive = false): Promise<void> {
    if (scrapeId !== null && (open || pending)) {
      const owner = ++intent;
      const stopOpen = () => (open ? remove(scrapeId, keepalive, owner) : undefined);
      pending = 0;
      set({ status: "ended", isRunning: false });
      stopping = open ? remove(scrapeId, keepalive, owner) : tail.then(stopOpen);
      tail = stopping;
    }
    return stopping ?? Promise.resolve();
  }
  function run(body: ScrapeInteractRequest): Promise<ScrapeInteractResponse | null> {
    if (scrapeId === null || disposed) return Promise.resolve(null);
    pending++;
    if (open) set({ isRunning: true });
    else set({ status: "creating", isRunning: true }, state().status === "ended" ? IDLE_STATE : state());
    const owner = intent;
    const answered = tail.then(() => call(scrapeId, body, owner));
    tail = answered;
    return answered;
  }
  return { ...controls, scrapeId, run };
};
