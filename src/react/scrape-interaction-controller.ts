import {
  InteractApiError,
  type InteractClient,
  type InteractError,
  type ScrapeInteractRequest,
  type ScrapeInteractResponse,
} from "../client/index.js";
import { toInteractError } from "../core/errors.js";
import type { LiveViewSession } from "./live-view.js";

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

/** What a {@link ScrapeInteractionController} reads on every action; the hook refreshes it on every render. */
export interface ScrapeInteractionConfig {
  /** The client that runs calls and stops the browser; an `InteractClient` fits. */
  client: Pick<InteractClient, "interact" | "stopInteraction">;
  /** Stop the browser when the owner detaches for good (unless `false`). */
  stopOnUnmount?: boolean | undefined;
  /** Send a `keepalive` stop when the page is hidden for unload (unless `false`). */
  stopOnPageHide?: boolean | undefined;
}

/** Owns the browser of one scrape: calls in order, one stop per stop intent, cleanup on detach/pagehide. */
export interface ScrapeInteractionController {
  /** The scrape this controller acts on; `null` makes every action a no-op. */
  readonly scrapeId: string | null;
  /** Replaces the configuration read by later actions. */
  configure(config: ScrapeInteractionConfig): void;
  /** The current state (stable identity until the next change). */
  getState(): ScrapeInteractionState;
  /** Registers a change listener; returns its removal. */
  subscribe(listener: () => void): () => void;
  /** Runs code or a prompt after the calls before it; resolves with the answer, or `null`. Never rejects. */
  run(body: ScrapeInteractRequest): Promise<ScrapeInteractResponse | null>;
  /** Stops the browser a call opened with one `DELETE` however often it is called. Never rejects. */
  stop(): Promise<void>;
  /** Marks the owner as mounted: listens for `pagehide`. */
  attach(): void;
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

/** 404/410 on a stop: the browser is already gone. */
const isGone = (error: InteractError) => error instanceof InteractApiError && [404, 410].includes(error.status);

/**
 * Creates the controller of one scrape's browser. Calls go out one after another (the first opens the browser, the
 * next reuse it), so two quick calls never open two browsers.
 * `intent` is bumped by every stop, so a call queued or answering after it knows it is stale; `open` means a call
 * answered and no `DELETE` went out since: whoever clears it owns the stop. `deletes` counts the `DELETE`s sent, so
 * an answer to a call that was running while one went out does not mark the browser open again.
 */
export const createScrapeInteractionController = (
  scrapeId: string | null,
  initial: ScrapeInteractionConfig,
): ScrapeInteractionController => {
  let config = initial;
  let state = IDLE_STATE;
  const listeners = new Set<() => void>();
  let intent = 0;
  let open = false;
  let deletes = 0;
  /** Calls of the current intent that have not settled. */
  let pending = 0;
  /** Settles after the last queued call or stop: the next one waits for it. */
  let tail: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let attached = false;
  /** Unmounted for good with `stopOnUnmount`: a stale `run` must not open a browser nobody would stop. */
  let disposed = false;

  const set = (next: Partial<ScrapeInteractionState>, base = state) => {
    state = { ...base, ...next };
    for (const listener of listeners) listener();
  };

  /** Keeps the session object while the URLs stay the same, so `<LiveView>` sees no change. */
  function publish(answer: ScrapeInteractResponse): LiveViewSession {
    const previous = state.session;
    const liveViewUrl = answer.liveViewUrl || previous?.liveViewUrl || undefined;
    const interactiveLiveViewUrl = answer.interactiveLiveViewUrl || previous?.interactiveLiveViewUrl || undefined;
    return previous &&
      previous.liveViewUrl === liveViewUrl &&
      previous.interactiveLiveViewUrl === interactiveLiveViewUrl
      ? previous
      : { liveViewUrl, interactiveLiveViewUrl };
  }

  async function call(id: string, body: ScrapeInteractRequest, owner: number) {
    // Stopped (or unmounted) before it went out: nothing to send.
    if (owner !== intent) return null;
    const sentAfter = deletes;
    let answer: ScrapeInteractResponse;
    try {
      answer = await config.client.interact(id, body);
    } catch (cause) {
      if (owner === intent) {
        pending--;
        set({
          status: open ? "live" : pending ? "creating" : "error",
          isRunning: pending > 0,
          response: null,
          error: toInteractError(cause),
        });
      }
      return null;
    }
    // Any answer means the browser runs; unless a stop went out meanwhile, stopping it is ours to do.
    if (deletes === sentAfter) open = true;
    if (owner !== intent) return null;
    pending--;
    set({ status: "live", isRunning: pending > 0, response: answer, error: null, session: publish(answer) });
    return answer;
  }

  /** Sends the `DELETE`; a failure other than 404/410 is reported (and the browser kept for a retry) to `owner`. */
  async function remove(id: string, keepalive: boolean, owner: number): Promise<void> {
    open = false;
    deletes++;
    try {
      await config.client.stopInteraction(id, { keepalive });
    } catch (cause) {
      const error = toInteractError(cause);
      // It may still run (and bill), so keep it for another stop(); an unloading page gets no second chance.
      if (!isGone(error) && owner === intent && !keepalive) {
        open = true;
        set({ status: "error", isRunning: false, error });
      }
    }
  }

  /** Stops whatever a call opened: at once when a browser is open, after the running call when it may open one. */
  function end(keepalive = false): Promise<void> {
    const id = scrapeId;
    if (id === null || (!open && !pending)) return stopping ?? Promise.resolve();
    const owner = ++intent;
    pending = 0;
    set({ status: "ended", isRunning: false });
    stopping = open ? remove(id, keepalive, owner) : tail.then(() => (open ? remove(id, keepalive, owner) : undefined));
    // A call made after this stop goes out once the stop has settled.
    tail = stopping;
    return stopping;
  }

  const onPageHide = () => {
    if (config.stopOnPageHide !== false) void end(true);
  };

  return {
    scrapeId,
    configure: (next) => {
      config = next;
    },
    getState: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    run: (body) => {
      const id = scrapeId;
      if (id === null || disposed) return Promise.resolve(null);
      pending++;
      // A call after a stop opens a new browser: the old URLs are dead.
      if (open) set({ isRunning: true });
      else set({ status: "creating", isRunning: true }, state.status === "ended" ? IDLE_STATE : state);
      const owner = intent;
      const answered = tail.then(() => call(id, body, owner));
      tail = answered;
      return answered;
    },
    stop: () => end(),
    attach: () => {
      attached = true;
      // Optional calls: there is no global event target outside browsers (SSR, test renderers, React Native).
      globalThis.addEventListener?.("pagehide", onPageHide);
    },
    detach: () => {
      attached = false;
      // StrictMode's simulated unmount re-attaches synchronously, which cancels this: only a real unmount stops.
      queueMicrotask(() => {
        if (attached) return;
        globalThis.removeEventListener?.("pagehide", onPageHide);
        if (config.stopOnUnmount === false) return;
        disposed = true;
        void end();
      });
    },
  };
};
