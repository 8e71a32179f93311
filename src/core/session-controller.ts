import { createBrowserSessionRequest } from "../../generated/constraints.js";
import { InteractApiError, type InteractError, toInteractError } from "./errors.js";
import { createLifecycle, isGone, type Lifecycle } from "./lifecycle.js";
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

/** The error of a create answer without a session id. */
const noSessionId = (body: CreateSessionResponse) =>
  new InteractApiError({ status: 200, code: "invalid_response", message: "Create answer has no session id", body });

/**
 * Creates the lifecycle of one live browser session, for any UI, on the shared {@link createLifecycle}: at most one
 * create in flight (double clicks and StrictMode re-runs get the same promise, or the live session: one POST), one
 * delete per stop (`end` deletes a live session at once, a create in flight as soon as it answers), the expiry
 * countdown (`tick` publishes `remainingMs` at most every second while the owner is mounted), and cleanup on
 * detach/pagehide.
 * `intent` is bumped by every start and stop, so an answer that arrives late knows it is stale: a create answered
 * after its intent moved on (stopped, unmounted, restarted) is deleted at once, and a failed create (nothing to
 * delete) is reported only if nobody moved on. `liveId` is a session we created and have not seen end: whoever clears
 * it owns its deletion; a failed delete keeps it (it may still run, and bill) for the next stop or start, except on
 * unload, which gets no second chance. A missing `expiresAt` is estimated from `ttl`, counted from when the request
 * was sent so it never runs past the real expiry; at `expiresAt` the server ends the session itself: no delete.
 */
export const createSessionController = (initial: SessionControllerConfig): SessionController => {
  let intent = 0;
  let creating: Promise<CreateSessionResponse | null>;
  let stopping: Promise<void> | undefined;
  let liveId: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let mounted = false;
  const [controls, set, state, config] = createLifecycle(IDLE_STATE, initial, end, (on) => {
    mounted = on;
    if (on) tick();
    else clearTimeout(timer);
  });
  const changed = () => config().onSessionsChange?.();
  async function remove(id: string, keepalive?: boolean, owner?: number): Promise<void> {
    try {
      await config().client.deleteSession(id, { keepalive });
    } catch (cause) {
      const error = toInteractError(cause);
      if (!keepalive && owner === intent && !isGone(error)) {
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
      created = await config().client.createSession(request);
      if (!created.id) throw noSessionId(created);
    } catch (error) {
      if (owner === intent) set({ status: "error", error: toInteractError(error) }, IDLE_STATE);
      return null;
    }
    if (owner !== intent) return remove(created.id).then(() => null);
    liveId = created.id;
    const announced = Date.parse(created.expiresAt ?? "");
    const isEstimate = Number.isNaN(announced);
    const expiresAt = isEstimate ? sentAt + (request.ttl ?? DEFAULT_TTL_SECONDS) * 1000 : announced;
    set({ status: "live", session: created, expiresAt, isEstimate }, IDLE_STATE);
    changed();
    tick();
    return created;
  }
  function end(keepalive?: boolean): Promise<void> {
    const id = liveId;
    if (!id && state().status !== "creating") return stopping ?? Promise.resolve();
    const owner = ++intent;
    liveId = undefined;
    clearTimeout(timer);
    set({ status: "ended", remainingMs: null });
    stopping = id ? remove(id, keepalive, owner) : creating.then(() => {});
    return stopping;
  }
  function tick(): void {
    clearTimeout(timer);
    const { status, expiresAt, session, remainingMs: shown } = state();
    if (status !== "live") return;
    const remainingMs = Math.max(0, (expiresAt as number) - Date.now());
    if (remainingMs) {
      if (remainingMs !== shown) set({ remainingMs });
      if (mounted) timer = setTimeout(tick, Math.min(remainingMs, 1000));
      return;
    }
    liveId = undefined;
    set({ status: "expired", remainingMs });
    config().onExpire?.(session as CreateSessionResponse);
    changed();
  }
  return {
    ...controls,
    start: (body) => {
      const { status, session } = state();
      if (status === "creating") return creating;
      if (status === "live") return Promise.resolve(session);
      if (liveId) void remove(liveId);
      liveId = stopping = undefined;
      creating = create(body ?? config().body ?? {}, ++intent);
      set({ status: "creating" }, IDLE_STATE);
      return creating;
    },
  };
};
