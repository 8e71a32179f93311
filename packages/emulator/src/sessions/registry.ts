import { randomUUID } from "node:crypto";
import { type CreateSessionRequest, operations, type SessionStatus } from "firecrawl-interact/core";
import { ActiveTabTracker } from "../browser/active-tab.js";
import type { LaunchedBrowser } from "../browser/launch.js";
import type { OpenBrowser } from "../browser/open-browser.js";
import type { ProfileStore } from "../browser/profiles.js";
import { browserFailed, EmulatorHttpError, errorMessage, shuttingDown } from "../errors.js";
import type { RunnerPool } from "../execute/runner-pool.js";
import { type EndReason, Session } from "./session.js";
import { profileStorageName } from "./teams.js";

// Destroyed sessions stay listable; the oldest are forgotten past this many.
const MAX_DESTROYED_KEPT = 500;
const CREATE = operations.createBrowserSession.body.properties;

/** What the registry needs to start sessions. */
export interface RegistryOptions {
  maxSessions: number;
  /** Gets a session's browser (its profile's, or a warm one). */
  openBrowser: OpenBrowser;
  /** Where saving sessions write their profile back. */
  profiles: ProfileStore;
  runners: RunnerPool;
}

/**
 * Holds every session, active and destroyed. Enforces `maxSessions` (429 with Retry-After) and the one-saving-
 * session-per-profile rule (409), counting sessions still being created so concurrent creates cannot overshoot.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly savingProfiles = new Set<string>();
  private creating = 0;
  private readonly inflight = new Set<Promise<unknown>>();
  private closing = false;

  constructor(private readonly options: RegistryOptions) {}

  /** Sessions that are active now. */
  get activeCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.status === "active") count++;
    return count;
  }

  /** Looks a session up by id (active or destroyed). */
  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Every known session, optionally only those with a status or of a team, oldest first. */
  list(status?: SessionStatus, team?: string): Session[] {
    return [...this.sessions.values()].filter(
      (session) => (status === undefined || session.status === status) && (team === undefined || session.team === team),
    );
  }

  /**
   * Creates a session from a validated body for a team (it owns the session, and its profile names are the team's
   * own); `origin` is where its URLs point.
   */
  create(body: CreateSessionRequest, origin: string, team: string): Promise<Session> {
    const creation = this.createNow(body, origin, team);
    this.inflight.add(creation);
    void creation.catch(() => undefined).finally(() => this.inflight.delete(creation));
    return creation;
  }

  private async createNow(body: CreateSessionRequest, origin: string, team: string): Promise<Session> {
    const savingProfile = this.admit(body.profile, team);
    this.creating++;
    if (savingProfile) this.savingProfiles.add(savingProfile);
    try {
      const session = await this.open(body, { origin, team }, savingProfile);
      this.sessions.set(session.id, session);
      if (this.closing) void session.end("shutdown");
      void session.ended.then(() => {
        if (savingProfile) this.savingProfiles.delete(savingProfile);
        this.forgetOldDestroyed();
      });
      return session;
    } finally {
      this.creating--;
    }
  }

  // Refuses a create the emulator cannot take now: closing (503), full (429), its profile saved by another session
  // (409). Returns the stored name of the profile the new session will save, if any.
  private admit(profile: CreateSessionRequest["profile"], team: string): string | undefined {
    if (this.closing) throw shuttingDown();
    if (this.activeCount + this.creating >= this.options.maxSessions) {
      throw new EmulatorHttpError(
        429,
        "too_many_sessions",
        `At most ${this.options.maxSessions} session${this.options.maxSessions === 1 ? "" : "s"} may be active at once`,
        { maxSessions: this.options.maxSessions },
        this.retryAfterSeconds(),
      );
    }
    if (profile === undefined || profile.saveChanges === false) return undefined;
    const stored = profileStorageName(team, profile.name);
    if (this.savingProfiles.has(stored)) {
      throw new EmulatorHttpError(
        409,
        "profile_busy",
        `Profile "${profile.name}" already has a saving session; end it or use saveChanges: false`,
        { field: "profile.name" },
      );
    }
    return stored;
  }

  // Starts the session's browser and the emulator's control connection to it. A failure frees the profile, leaves
  // nothing running and answers 502.
  private async open(
    body: CreateSessionRequest,
    owner: { origin: string; team: string },
    savingProfile: string | undefined,
  ): Promise<Session> {
    let browser: LaunchedBrowser | undefined;
    try {
      const profile = body.profile && profileStorageName(owner.team, body.profile.name);
      browser = await this.options.openBrowser(profile);
      // The browser's one pipe connection becomes the session's control connection.
      const control = browser.connection;
      const tabs = await ActiveTabTracker.start(control);
      const { profiles } = this.options;
      return new Session({
        id: randomUUID(),
        browser,
        control,
        tabs,
        ttlSeconds: body.ttl ?? CREATE.ttl.default,
        activityTtlSeconds: body.activityTtl ?? CREATE.activityTtl.default,
        streamWebView: body.streamWebView ?? CREATE.streamWebView.default,
        ...owner,
        runners: this.options.runners,
        ...(savingProfile ? { saveProfile: (dir: string) => profiles.save(savingProfile, dir) } : {}),
      });
    } catch (error) {
      if (savingProfile) this.savingProfiles.delete(savingProfile);
      await browser?.kill();
      throw browserFailed(`Could not start a browser: ${errorMessage(error)}`);
    }
  }

  /** Ends one session and waits for its cleanup. */
  async end(session: Session, reason: EndReason): Promise<void> {
    await session.end(reason);
  }

  /** Refuses new sessions, then ends every active one and waits until all are cleaned up. */
  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inflight]);
    await Promise.all([...this.sessions.values()].map((session) => session.end("shutdown")));
  }

  // The soonest moment a slot frees up by itself (ttl or idle), in whole seconds, at least 1.
  private retryAfterSeconds(): number {
    const active = this.list("active");
    if (active.length === 0) return 1;
    const soonest = Math.min(...active.map((session) => session.remainingMs()));
    return Math.min(3600, Math.max(1, Math.ceil(soonest / 1000)));
  }

  private forgetOldDestroyed(): void {
    const destroyed = this.list("destroyed");
    for (const session of destroyed.slice(0, Math.max(0, destroyed.length - MAX_DESTROYED_KEPT))) {
      this.sessions.delete(session.id);
    }
  }
}
