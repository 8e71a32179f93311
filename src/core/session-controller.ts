import { createBrowserSessionRequest } from "../../generated/constraints.js";
import { InteractApiError, type InteractError, toInteractError } from "./errors.js";
import { createLifecycle, isGone, type Lifecycle, type SetState } from "./lifecycle.js";
import { notifySessionsChange } from "./sessions-change.js";
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
export interface SessionController extends Lifecycle<InteractSessionState, SessionControllerConfig> {
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
 * Creates a session and returns the live state it starts: an answer without an id is an error, and a missing
 * `expiresAt` is estimated from `ttl`, counted from when the request was sent so it never runs past the real expiry.
 */
const createLive = async (client: SessionControllerClient, request: CreateSessionRequest) => {
  const sentAt = Date.now();
  const session = await client.createSession(request);
  if (!session.id) {
    throw new InteractApiError({
      status: 200,
      code: "invalid_response",
      message: "Create answer has no session id",
      body: session,
    });
  }
  const announced = Date.parse(session.expiresAt ?? "");
  const isEstimate = Number.isNaN(announced);
  const expiresAt = isEstimate ? sentAt + (request.ttl ?? DEFAULT_TTL_SECONDS) * 1000 : announced;
  return { status: "live", session: session as CreateSessionResponse & { id: string }, expiresAt, isEstimate } as const;
};

/**
 * The expiry countdown of a controller's state: `tick(mounted?)` publishes the `remainingMs` of a live state, again
 * every second while the owner is mounted, and calls `expire` at 0; in any other status it only stops its timer.
 */
const countdown = (state: () => InteractSessionState, set: SetState<InteractSessionState>, expire: () => void) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let mounted = false;
  const tick = (on = mounted) => {
    mounted = on;
    clearTimeout(timer);
    const { status, expiresAt, remainingMs: shown } = state();
    if (status !== "live") return;
    const remainingMs = Math.max(0, (expiresAt as number) - Date.now());
    if (!remainingMs) return expire();
    if (remainingMs !== shown) set({ remainingMs });
    if (mounted) timer = setTimeout(tick, Math.min(remainingMs, 1000));
  };
  return tick;
};

/**
 * Creates the lifecycle of one live browser session, for any UI, on the shared {@link createLifecycle}: at most one
 * create in flight (double clicks and StrictMode re-runs get the same promise, or the live session: one POST), one
 * delete per stop (`end` deletes a live session at once, a create in flight as soon as it answers), the expiry
 * {@link countdown}, cleanup on detach/pagehide, and a word to the client's sessions-change listeners (cached session
 * lists) after every create and end.
 * `intent` is bumped by every start and stop, so an answer that arrives late knows it is stale: a create answered
 * after its intent moved on (stopped, unmounted, restarted) is deleted at once, and a failed create (nothing to
 * delete) is reported only if nobody moved on. `liveId` is a session we created and have not seen end: whoever clears
 * it owns its deletion; a failed delete keeps it (it may still run, and bill) for the next stop or start, except on
 * unload, which gets no second chance. At `expiresAt` the server ends the session itself: no delete.
 */
export const createSessionController = (initial: SessionControllerConfig): SessionController => {
  let intent = 0;
  let creating: Promise<CreateSessionResponse | null>;
  let stopping: Promise<void> | undefined;
  let liveId: string | undefined;
  const [controls, set, state, config] = createLifecycle(IDLE_STATE, initial, end, (on) => tick(on));
  const tick = countdown(state, set, expire);
  const changed = () => notifySessionsChange(config());
  // As Promise.try would (Node 20 has none): a client that throws instead of rejecting is caught, so stop never rejects.
  const remove = (id: string, keepalive?: boolean, owner?: number): Promise<void> =>
    new Promise((send) => send(config().client.deleteSession(id, { keepalive }))).then(changed, (cause) => {
      const error = toInteractError(cause);
      if (keepalive || owner !== intent || isGone(error)) return changed();
      liveId = id;
      set({ status: "error", error });
    });
  const create = (request: CreateSessionRequest, owner: number) =>
    createLive(config().client, request).then(
      (live) => {
        if (owner !== intent) return remove(live.session.id).then(() => null);
        liveId = live.session.id;
        set(live, IDLE_STATE);
        changed();
        tick();
        return live.session;
      },
      (error) => {
        if (owner === intent) set({ status: "error", error: toInteractError(error) }, IDLE_STATE);
        return null;
      },
    );
  function end(keepalive?: boolean): Promise<void> {
    const id = liveId;
    if (id || state().status === "creating") {
      const owner = ++intent;
      liveId = undefined;
      set({ status: "ended", remainingMs: null });
      tick();
      stopping = id ? remove(id, keepalive, owner) : creating.then(() => {});
    }
    return stopping ?? Promise.resolve();
  }
  function expire(): void {
    liveId = undefined;
    set({ status: "expired", remainingMs: 0 });
    config().onExpire?.(state().session as CreateSessionResponse);
    changed();
  }
  function start(body?: CreateSessionRequest): Promise<CreateSessionResponse | null> {
    const { status, session } = state();
    if (status === "creating") return creating;
    if (status === "live") return Promise.resolve(session);
    if (liveId) void remove(liveId);
    liveId = stopping = undefined;
    creating = create(body ?? config().body ?? {}, ++intent);
    set({ status: "creating" }, IDLE_STATE);
    return creating;
  }
  return { ...controls, start };
};
