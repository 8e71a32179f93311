import { operations } from "../../generated/constraints.js";
import type { CreateSessionRequest, InteractSession, SessionStatus } from "../core/types.js";
import { profileBusy, tooManySessions } from "./answers.js";

const CREATE = operations.createBrowserSession.body.properties;

/** Why a session ended: `deleted` (DELETE, a stopped scrape browser, `liveView().end()`), `expired` (ttl), `idle` (activityTtl). */
export type FakeEndReason = "deleted" | "expired" | "idle";

/** A session of the fake as a test sees it (`fake.sessions()`); times are epoch milliseconds of the fake's clock. */
export interface FakeSessionInfo {
  readonly id: string;
  readonly status: SessionStatus;
  /** Why it ended; `undefined` while active. */
  readonly endReason: FakeEndReason | undefined;
  readonly createdAt: number;
  /** When its ttl ends it. */
  readonly expiresAt: number;
  /** The last execute or interact call. */
  readonly lastActivity: number;
  /** When it ended (the instant its ttl or activityTtl ran out, not when the fake noticed). */
  readonly endedAt: number | undefined;
  /** The scrape whose browser it is, for sessions opened by `POST /scrape/{jobId}/interact`. */
  readonly scrapeId: string | undefined;
  readonly cdpUrl: string;
  readonly liveViewUrl: string;
  readonly interactiveLiveViewUrl: string;
}

/** A session and what only the fake may see of it: its tokens and the profile it saves. */
interface StoredSession extends FakeSessionInfo {
  status: SessionStatus;
  endReason: FakeEndReason | undefined;
  lastActivity: number;
  endedAt: number | undefined;
  readonly streamWebView: boolean;
  readonly activityTtlMs: number;
  readonly tokens: readonly string[];
  readonly savingProfile: string | undefined;
}

/** What the store needs: the clock, the limit, where URLs point, how ids are made, and who hears of an end. */
export interface SessionStoreOptions {
  readonly now: () => number;
  readonly maxSessions: number;
  /** `https://host` of the live-view and CDP URLs. */
  readonly origin: string;
  readonly newId: () => string;
  readonly newToken: () => string;
  /** Called once per session that ends, after it was marked destroyed. */
  readonly onEnd: (session: FakeSessionInfo) => void;
}

/** The session store of the fake: `maxSessions`, one saving session per profile, ttl and activityTtl on its clock. */
export class SessionStore {
  private readonly sessions = new Map<string, StoredSession>();

  constructor(private readonly options: SessionStoreOptions) {}

  /** Ends every active session whose ttl or activityTtl ran out by now; the fake calls it before every answer. */
  sweep(): void {
    const now = this.options.now();
    for (const session of this.sessions.values()) {
      if (session.status !== "active") continue;
      const idleAt = session.lastActivity + session.activityTtlMs;
      if (now >= session.expiresAt && session.expiresAt <= idleAt) this.end(session, "expired", session.expiresAt);
      else if (now >= idleAt) this.end(session, "idle", idleAt);
    }
  }

  /** Every session, oldest first, optionally only those with a status. */
  list(status?: SessionStatus): FakeSessionInfo[] {
    this.sweep();
    return [...this.sessions.values()].filter((session) => status === undefined || session.status === status);
  }

  /** A session by id, active or ended. */
  get(id: string): FakeSessionInfo | undefined {
    this.sweep();
    return this.sessions.get(id);
  }

  /** Creates a session from a validated body, or throws the 429 or 409 the emulator answers. */
  create(body: CreateSessionRequest, scrapeId?: string): FakeSessionInfo {
    const savingProfile = this.admit(body.profile);
    const { now, newId, newToken, origin } = this.options;
    const id = newId();
    const createdAt = now();
    const streamWebView = body.streamWebView ?? CREATE.streamWebView.default;
    const [cdpToken, liveToken, interactiveToken] = [newToken(), newToken(), newToken()];
    const live = `${origin}/live/${id}?token=`;
    const session: StoredSession = {
      id,
      status: "active",
      endReason: undefined,
      createdAt,
      expiresAt: createdAt + (body.ttl ?? CREATE.ttl.default) * 1000,
      lastActivity: createdAt,
      endedAt: undefined,
      scrapeId,
      cdpUrl: `${origin.replace(/^http/, "ws")}/cdp/${id}?token=${cdpToken}`,
      liveViewUrl: streamWebView ? `${live}${liveToken}` : "",
      interactiveLiveViewUrl: streamWebView ? `${live}${interactiveToken}&interactive=true` : "",
      streamWebView,
      activityTtlMs: (body.activityTtl ?? CREATE.activityTtl.default) * 1000,
      tokens: [liveToken, interactiveToken],
      savingProfile,
    };
    this.sessions.set(id, session);
    return session;
  }

  /** True when `token` is one of the session's live-view tokens (a real viewer refuses any other). */
  hasViewToken(id: string, token: string | null): boolean {
    return token !== null && (this.sessions.get(id)?.tokens.includes(token) ?? false);
  }

  /** Records activity now (resets the activityTtl countdown). */
  touch(id: string): void {
    const session = this.sessions.get(id);
    if (session?.status === "active") session.lastActivity = this.options.now();
  }

  /** Ends a session now (idempotent). */
  end(info: FakeSessionInfo, reason: FakeEndReason, at = this.options.now()): void {
    const session = this.sessions.get(info.id);
    if (session?.status !== "active") return;
    session.status = "destroyed";
    session.endReason = reason;
    session.endedAt = at;
    this.options.onEnd(session);
  }

  /** The list entry of a session, in the emulator's shape. */
  listEntry(info: FakeSessionInfo): Required<InteractSession> {
    const session = this.sessions.get(info.id) as StoredSession;
    return {
      id: session.id,
      status: session.status,
      cdpUrl: session.cdpUrl,
      liveViewUrl: session.liveViewUrl,
      interactiveLiveViewUrl: session.interactiveLiveViewUrl,
      streamWebView: session.streamWebView,
      createdAt: new Date(session.createdAt).toISOString(),
      lastActivity: new Date(session.lastActivity).toISOString(),
    };
  }

  // Refuses a create the fake cannot take now: full (429), its profile saved by another session (409). Returns the
  // name of the profile the new session saves, if any.
  private admit(profile: CreateSessionRequest["profile"]): string | undefined {
    const active = this.list("active") as StoredSession[];
    const { maxSessions } = this.options;
    if (active.length >= maxSessions) throw tooManySessions(maxSessions, this.retryAfterSeconds(active));
    if (profile === undefined || profile.saveChanges === false) return undefined;
    if (active.some((session) => session.savingProfile === profile.name)) throw profileBusy(profile.name);
    return profile.name;
  }

  // The soonest moment a slot frees up by itself (ttl or idle), in whole seconds, from 1 to 3600.
  private retryAfterSeconds(active: readonly StoredSession[]): number {
    const now = this.options.now();
    const ends = active.map((session) => Math.min(session.expiresAt, session.lastActivity + session.activityTtlMs));
    const soonest = Math.max(0, Math.min(...ends) - now);
    return Math.min(3600, Math.max(1, Math.ceil(soonest / 1000)));
  }
}
