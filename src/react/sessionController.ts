import {
  type CreateSessionRequest,
  type CreateSessionResponse,
  InteractApiError,
  type InteractClient,
  schemas,
} from "../client/index.js";
import { type InteractError, toInteractError } from "./errors.js";

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

/** What a {@link SessionController} reads on every action; the hook refreshes it on every render. */
export interface SessionControllerConfig {
  /** The client that creates and deletes sessions. */
  client: InteractClient;
  /** Default create body, used when `start()` gets none. */
  body?: CreateSessionRequest | undefined;
  /** Delete the session when the owner detaches for good. */
  stopOnUnmount: boolean;
  /** Send a `keepalive` delete when the page is hidden for unload. */
  stopOnPageHide: boolean;
  /** Called once when a live session reaches its `expiresAt`. */
  onExpire?: ((session: CreateSessionResponse) => void) | undefined;
  /** Called after a session was created or ended, so cached session lists can be refreshed. */
  onSessionsChanged?: (() => void) | undefined;
}

/** The state before anything happened. */
export const IDLE_STATE: InteractSessionState = {
  status: "idle",
  session: null,
  error: null,
  expiresAt: null,
  remainingMs: null,
  isEstimate: false,
};

const DEFAULT_TTL_SECONDS: number = schemas.CreateSessionRequest.properties.ttl.default;
const TICK_MS = 1000;
/** Answers to DELETE that mean the session is already over. */
const ALREADY_GONE: ReadonlySet<number> = new Set([404, 410]);

/**
 * Owns one live browser session outside React: at most one create in flight, one delete per stop, the expiry
 * countdown, and cleanup on detach/pagehide. `useInteractSession` is a thin `useSyncExternalStore` over it.
 */
export class SessionController {
  #config: SessionControllerConfig;
  #state: InteractSessionState = IDLE_STATE;
  readonly #listeners = new Set<() => void>();
  /** Bumped by every start, stop, expiry and pagehide, so an answer that arrives late knows it is stale. */
  #intent = 0;
  #creating: Promise<CreateSessionResponse | null> | null = null;
  #stopping: Promise<void> | null = null;
  /** Id of a session we created and have not seen end; whoever clears it owns its deletion. */
  #liveId: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attached = false;
  #listening = false;

  constructor(config: SessionControllerConfig) {
    this.#config = config;
  }

  /** Replaces the configuration read by later actions. */
  configure(config: SessionControllerConfig): void {
    this.#config = config;
  }

  /** The current state (stable identity until the next change). */
  getState = (): InteractSessionState => this.#state;

  /** Registers a change listener; returns its removal. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /**
   * Creates a session unless one is being created or is live (then the same promise/session is returned, so
   * double clicks and StrictMode re-runs send one POST). Resolves with the session, or `null` when it failed or
   * was stopped first; never rejects — failures land in `state.error`.
   */
  start = (body?: CreateSessionRequest): Promise<CreateSessionResponse | null> => {
    const { status, session } = this.#state;
    if (status === "creating" && this.#creating) return this.#creating;
    if (status === "live") return Promise.resolve(session);
    this.#releaseLeftover();
    const intent = ++this.#intent;
    const request = body ?? this.#config.body ?? {};
    this.#stopping = null;
    this.#set({ ...IDLE_STATE, status: "creating" });
    this.#creating = this.#create(this.#config.client, request, intent);
    return this.#creating;
  };

  /**
   * Ends the session: one `DELETE` however often it is called, status `ended` at once. A session still being
   * created is deleted as soon as its create answers. Resolves when the delete is done; never rejects.
   */
  stop = (): Promise<void> => {
    const { status } = this.#state;
    if (status === "ended" && this.#stopping) return this.#stopping;
    if (status === "creating") {
      this.#intent++;
      this.#set({ ...this.#state, status: "ended" });
      const creating = this.#creating ?? Promise.resolve(null);
      this.#stopping = creating.then(() => undefined);
      return this.#stopping;
    }
    const id = this.#liveId;
    if (id === null) return Promise.resolve();
    const intent = ++this.#intent;
    this.#liveId = null;
    this.#clearTimer();
    this.#set({ ...this.#state, status: "ended", remainingMs: null });
    this.#stopping = this.#delete(this.#config.client, id, intent);
    return this.#stopping;
  };

  /** Marks the owner as mounted: listens for `pagehide` and resumes the countdown. */
  attach = (): void => {
    this.#attached = true;
    if (!this.#listening && typeof window !== "undefined") {
      window.addEventListener("pagehide", this.#onPageHide);
      this.#listening = true;
    }
    if (this.#state.status === "live" && this.#timer === undefined) this.#tick();
  };

  /**
   * Marks the owner as unmounted. The decision waits one microtask: StrictMode's simulated unmount re-attaches
   * synchronously, which cancels it, so only a real unmount stops the session.
   */
  detach = (): void => {
    this.#attached = false;
    queueMicrotask(() => {
      if (this.#attached) return;
      if (this.#listening) {
        window.removeEventListener("pagehide", this.#onPageHide);
        this.#listening = false;
      }
      this.#clearTimer();
      if (this.#config.stopOnUnmount) void this.stop();
    });
  };

  async #create(
    client: InteractClient,
    request: CreateSessionRequest,
    intent: number,
  ): Promise<CreateSessionResponse | null> {
    const sentAt = Date.now();
    let created: CreateSessionResponse;
    try {
      created = await client.createSession(request);
    } catch (error) {
      // A failed create left nothing to delete; report it only if nobody moved on meanwhile.
      if (intent === this.#intent) this.#set({ ...IDLE_STATE, status: "error", error: toInteractError(error) });
      return null;
    }
    const id = created.id;
    if (intent !== this.#intent) {
      // Stopped, unmounted or restarted while creating: this session must not outlive the intent that asked for it.
      if (id) await this.#deleteQuietly(client, id);
      return null;
    }
    if (!id) {
      const error = new InteractApiError({
        status: 200,
        code: "invalid_response",
        message: "The create-session answer has no session id",
        body: created,
      });
      this.#set({ ...IDLE_STATE, status: "error", error });
      return null;
    }
    this.#liveId = id;
    const announced = created.expiresAt ? Date.parse(created.expiresAt) : Number.NaN;
    const isEstimate = Number.isNaN(announced);
    // The estimate counts from when we sent the request, so it never runs past the server's real expiry.
    const expiresAt = isEstimate ? sentAt + (request.ttl ?? DEFAULT_TTL_SECONDS) * 1000 : announced;
    this.#set({ status: "live", session: created, error: null, expiresAt, isEstimate, remainingMs: null });
    this.#config.onSessionsChanged?.();
    this.#tick();
    return created;
  }

  async #delete(client: InteractClient, id: string, intent: number): Promise<void> {
    try {
      await client.deleteSession(id);
    } catch (cause) {
      const error = toInteractError(cause);
      if (!(error instanceof InteractApiError && ALREADY_GONE.has(error.status))) {
        // The session may still be running (and billed): keep it so another stop() can retry the delete.
        if (intent === this.#intent) {
          this.#liveId = id;
          this.#set({ ...this.#state, status: "error", error });
        }
        return;
      }
    }
    this.#config.onSessionsChanged?.();
  }

  async #deleteQuietly(client: InteractClient, id: string, keepalive = false): Promise<void> {
    try {
      await client.deleteSession(id, { keepalive });
    } catch {
      // Best effort: nobody is left to report to.
    }
    this.#config.onSessionsChanged?.();
  }

  /** A session whose delete failed earlier is deleted before a new one is started. */
  #releaseLeftover(): void {
    const id = this.#liveId;
    if (id === null) return;
    this.#liveId = null;
    void this.#deleteQuietly(this.#config.client, id);
  }

  #onPageHide = (): void => {
    if (!this.#config.stopOnPageHide) return;
    const { status } = this.#state;
    const id = this.#liveId;
    if (status !== "creating" && id === null) return;
    // A create still in flight is deleted by #create if the page survives (bfcache); we cannot name it yet.
    this.#intent++;
    this.#liveId = null;
    this.#clearTimer();
    this.#set({ ...this.#state, status: "ended", remainingMs: null });
    this.#stopping = id === null ? Promise.resolve() : this.#deleteQuietly(this.#config.client, id, true);
  };

  #tick = (): void => {
    this.#timer = undefined;
    const { status, expiresAt, session } = this.#state;
    if (status !== "live" || expiresAt === null || session === null) return;
    const remainingMs = Math.max(0, expiresAt - Date.now());
    if (remainingMs === 0) {
      // The server ends the session on its own at expiresAt: nothing to delete.
      this.#intent++;
      this.#liveId = null;
      this.#set({ ...this.#state, status: "expired", remainingMs: 0 });
      this.#config.onExpire?.(session);
      this.#config.onSessionsChanged?.();
      return;
    }
    if (remainingMs !== this.#state.remainingMs) this.#set({ ...this.#state, remainingMs });
    if (this.#attached) this.#timer = setTimeout(this.#tick, Math.min(remainingMs, TICK_MS));
  };

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(state: InteractSessionState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}
