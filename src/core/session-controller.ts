import { createBrowserSessionRequest } from "../../generated/constraints.js";
import { InteractApiError, type InteractError, toInteractError } from "./errors.js";
import type { CreateSessionRequest, CreateSessionResponse } from "./types.js";

/** Where one live browser session is in its life. */
export type InteractSessionStatus = "idle" | "creating" | "live" | "ended" | "expired" | "error";

/** What the lifecycle knows at one moment; replaced (never mutated) on every change. */
export interface InteractSessionState {
  /** Lifecycle status. */
  readonly status: InteractSessionStatus;
  /** The create response of the current (or last) session; `null` before the first one and while creating. */
  readonly session: CreateSessionResponse | null;
  /** The typed error behind `status: "error"`, else `null`. */
  readonly error: InteractError | null;
  /** Epoch milliseconds at which the session ends; `null` when there is no session. */
  readonly expiresAt: number | null;
  /** Milliseconds left until `expiresAt` (0 once expired); `null` when there is no live session. */
  readonly remainingMs: number | null;
  /** True when `expiresAt` was estimated from `ttl` and the creation time because the answer had no `expiresAt`. */
  readonly isEstimate: boolean;
}

/** What a {@link SessionController} needs of a client: an `InteractClient` fits. */
export interface SessionControllerClient {
  /** Creates a session (`POST /interact`). */
  createSession(body: CreateSessionRequest): Promise<CreateSessionResponse>;
  /** Destroys a session (`DELETE /interact/{sessionId}`); `keepalive` lets it outlive an unloading page. */
  deleteSession(sessionId: string, options?: { keepalive?: boolean | undefined }): Promise<unknown>;
}

/** What a {@link SessionController} reads on every action; the hook refreshes it on every render. */
export interface SessionControllerConfig {
  /** The client that creates and deletes sessions. */
  client: SessionControllerClient;
  /** Default create body, used when `start()` gets none. */
  body?: CreateSessionRequest | undefined;
  /** Delete the session when the owner detaches for good (unless `false`). */
  stopOnUnmount?: boolean | undefined;
  /** Send a `keepalive` delete when the page is hidden for unload (unless `false`). */
  stopOnPageHide?: boolean | undefined;
  /** Called once when a live session reaches its `expiresAt`. */
  onExpire?: ((session: CreateSessionResponse) => void) | undefined;
  /** Called after a session was created or ended, e.g. to refresh cached session lists. */
  onSessionsChange?: (() => void) | undefined;
}

/** Owns one live browser session outside any UI framework; `useInteractSession` is a thin hook over it. */
export interface SessionController {
  /** Replaces the configuration read by later actions. */
  configure(config: SessionControllerConfig): void;
  /** The current state (stable identity until the next change). */
  getState(): InteractSessionState;
  /** Registers a change listener; returns its removal. */
  subscribe(listener: () => void): () => void;
  /** Creates a session unless one is being created or is live; never rejects (failures land in `state.error`). */
  start(body?: CreateSessionRequest): Promise<CreateSessionResponse | null>;
  /** Ends the session with one `DELETE` however often it is called; never rejects. */
  stop(): Promise<void>;
  /** Marks the owner as mounted: listens for `pagehide` and resumes the countdown. */
  attach(): void;
  /** Marks the owner as unmounted; a real unmount (not StrictMode's simulated one) stops the session. */
  detach(): void;
}

/** The state before anything happened. */
const IDLE_STATE: InteractSessionState = {
  status: "idle",
  session: null,
  error: null,
  expiresAt: null,
  remainingMs: null,
  isEstimate: false,
};

const DEFAULT_TTL_SECONDS: number = createBrowserSessionRequest.body.properties.ttl.default;

/**
 * Creates the lifecycle of one live browser session, for any UI: at most one create in flight, one delete per stop,
 * the expiry countdown, and cleanup on detach/pagehide.
 * `intent` is bumped by every start, stop, expiry and pagehide, so an answer that arrives late knows it is stale;
 * `liveId` is a session we created and have not seen end: whoever clears it owns its deletion.
 */
export const createSessionController = (initial: SessionControllerConfig): SessionController => {
  let config = initial;
  let state = IDLE_STATE;
  const listeners = new Set<() => void>();
  let intent = 0;
  let creating: Promise<CreateSessionResponse | null> = Promise.resolve(null);
  let stopping: Promise<void> | undefined;
  let liveId: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attached = false;

  const set = (next: Partial<InteractSessionState>, base = state) => {
    state = { ...base, ...next };
    for (const listener of listeners) listener();
  };
  const changed = () => config.onSessionsChange?.();

  /** Deletes a session; a failure is reported (and the id kept for a retry) only to the intent `owner`. */
  async function remove(id: string, keepalive?: boolean, owner?: number): Promise<void> {
    try {
      await config.client.deleteSession(id, { keepalive });
    } catch (cause) {
      const error = toInteractError(cause);
      // 404/410: already over. Anything else: it may still run (and bill), so keep it for another stop().
      if (owner === intent && ![404, 410].includes((error as InteractApiError).status)) {
        liveId = id;
        return set({ status: "error", error });
      }
    }
    changed();
  }

  async function create(request: CreateSessionRequest, owner: number): Promise<CreateSessionResponse | null> {
    const sentAt = Date.now();
    let created: CreateSessionResponse;
    try {
      created = await config.client.createSession(request);
      if (!created.id) {
        throw new InteractApiError({
          status: 200,
          code: "invalid_response",
          message: "Create answer has no session id",
          body: created,
        });
      }
    } catch (error) {
      // A failed create left nothing to delete; report it only if nobody moved on meanwhile.
      if (owner === intent) set({ status: "error", error: toInteractError(error) }, IDLE_STATE);
      return null;
    }
    if (owner !== intent) {
      // Stopped, unmounted or restarted while creating: this session must not outlive the intent that asked for it.
      await remove(created.id);
      return null;
    }
    liveId = created.id;
    const announced = Date.parse(created.expiresAt ?? "");
    const isEstimate = Number.isNaN(announced);
    // The estimate counts from when we sent the request, so it never runs past the server's real expiry.
    const expiresAt = isEstimate ? sentAt + (request.ttl ?? DEFAULT_TTL_SECONDS) * 1000 : announced;
    set({ status: "live", session: created, expiresAt, isEstimate }, IDLE_STATE);
    changed();
    tick();
    return created;
  }

  /** Ends whatever runs: a live session is deleted, a create in flight is deleted as soon as it answers. */
  function end(keepalive?: boolean): Promise<void> {
    const id = liveId;
    const pending = state.status === "creating";
    if (!id && !pending) return stopping ?? Promise.resolve();
    const owner = ++intent;
    liveId = undefined;
    clearTimeout(timer);
    set({ status: "ended", remainingMs: null });
    stopping = id ? remove(id, keepalive, keepalive ? undefined : owner) : creating.then(() => {});
    return stopping;
  }

  function tick(): void {
    clearTimeout(timer);
    const { status, expiresAt, session } = state;
    if (status !== "live") return;
    const remainingMs = Math.max(0, (expiresAt as number) - Date.now());
    if (!remainingMs) {
      // The server ends the session on its own at expiresAt: nothing to delete.
      intent++;
      liveId = undefined;
      set({ status: "expired", remainingMs });
      config.onExpire?.(session as CreateSessionResponse);
      changed();
    } else {
      if (remainingMs !== state.remainingMs) set({ remainingMs });
      if (attached) timer = setTimeout(tick, Math.min(remainingMs, 1000));
    }
  }

  const onPageHide = () => {
    if (config.stopOnPageHide !== false) void end(true);
  };

  return {
    configure: (next) => {
      config = next;
    },
    getState: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: (body) => {
      const { status, session } = state;
      // Double clicks and StrictMode re-runs get the same promise (or session): one POST.
      if (status === "creating") return creating;
      if (status === "live") return Promise.resolve(session);
      // A session whose delete failed earlier is deleted before a new one is started.
      if (liveId) void remove(liveId);
      liveId = undefined;
      stopping = undefined;
      creating = create(body ?? config.body ?? {}, ++intent);
      set({ status: "creating" }, IDLE_STATE);
      return creating;
    },
    stop: () => end(),
    attach: () => {
      attached = true;
      // Optional calls: there is no global event target outside browsers (SSR, test renderers, React Native).
      globalThis.addEventListener?.("pagehide", onPageHide);
      tick();
    },
    detach: () => {
      attached = false;
      // StrictMode's simulated unmount re-attaches synchronously, which cancels this: only a real unmount stops.
      queueMicrotask(() => {
        if (attached) return;
        globalThis.removeEventListener?.("pagehide", onPageHide);
        clearTimeout(timer);
        if (config.stopOnUnmount !== false) void end();
      });
    },
  };
};
