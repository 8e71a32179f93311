import { randomBytes, timingSafeEqual } from "node:crypto";
import type { ExecuteResponse, InteractSession, SessionStatus } from "firecrawl-interact/core";
import type { ActiveTabTracker } from "../browser/active-tab.js";
import type { CdpConnection } from "../browser/cdp.js";
import type { CdpChannel } from "../browser/cdp-channel.js";
import type { LaunchedBrowser } from "../browser/launch.js";
import { sessionDestroyed } from "../errors.js";
import type { AgentBrowserHome } from "../execute/agent-browser.js";
import {
  DEFAULT_EXECUTE_LANGUAGE,
  DEFAULT_EXECUTE_TIMEOUT_S,
  type ExecuteLanguage,
  type RunnerPool,
} from "../execute/runner-pool.js";
import type { ExecuteRun } from "../execute/supervise.js";
import { LiveViewHub } from "../live-view/hub.js";

/** Why a session ended: `deleted` (DELETE), `expired` (ttl), `idle` (activityTtl), `shutdown` (close), `browser_exited`. */
export type EndReason = "deleted" | "expired" | "idle" | "shutdown" | "browser_exited";

/** Everything a {@link Session} takes ownership of, plus its settings. */
export interface SessionInit {
  id: string;
  browser: LaunchedBrowser;
  control: CdpConnection;
  tabs: ActiveTabTracker;
  ttlSeconds: number;
  activityTtlSeconds: number;
  streamWebView: boolean;
  /** `http://host:port` the URLs are built on. */
  origin: string;
  /** The team of the key that created the session: only it may list, use or end it. */
  team: string;
  /** Where execute gets its runner children (one is kept spawned ahead). */
  runners: RunnerPool;
  /** Saves the browser's user-data-dir as a profile after the browser stopped (saving sessions only). */
  saveProfile?: (userDataDir: string) => Promise<void>;
}

const newToken = () => randomBytes(24).toString("base64url");

/** Compares a presented token with the expected one in constant time. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * One live browser session. It owns its Chromium, the emulator's CDP control connection, its ttl and idle timers,
 * the sockets attached to it (CDP proxies, live viewers), its running executes, and its cleanup.
 */
export class Session {
  readonly id: string;
  /** The team that owns the session. */
  readonly team: string;
  readonly createdAt = new Date();
  readonly expiresAt: Date;
  readonly streamWebView: boolean;
  readonly cdpToken = newToken();
  /** The read-only live view's token: it shows the page and never grants input, whatever its URL's query says. */
  readonly liveToken = newToken();
  /** The interactive live view's token, a different one: only it grants input. */
  readonly interactiveLiveToken = newToken();
  readonly cdpUrl: string;
  readonly liveViewUrl: string;
  readonly interactiveLiveViewUrl: string;
  status: SessionStatus = "active";
  endReason: EndReason | undefined;
  endedAt: Date | undefined;
  /** Epoch ms of the last activity (CDP traffic from clients, live-view input, execute). */
  lastActivity = Date.now();
  /** Set when cleanup failed (e.g. the profile could not be saved); the browser is dead either way. */
  cleanupError: unknown;
  /** Resolves once the session is fully cleaned up (browser dead, temp dir gone, profile saved). */
  readonly ended: Promise<void>;

  private readonly browser: LaunchedBrowser;
  private readonly control: CdpConnection;
  private readonly tabs: ActiveTabTracker;
  private readonly activityTtlMs: number;
  private readonly saveProfile: ((userDataDir: string) => Promise<void>) | undefined;
  private readonly runners: RunnerPool;
  private readonly closers = new Set<() => void>();
  private readonly runs = new Set<ExecuteRun>();
  /** The session's agent-browser (wrapper, daemons), made by the first bash execute. */
  private agentBrowser: Promise<AgentBrowserHome> | undefined;
  private hub: LiveViewHub | undefined;
  private ttlTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private resolveEnded!: () => void;

  constructor(init: SessionInit) {
    this.id = init.id;
    this.team = init.team;
    this.browser = init.browser;
    this.control = init.control;
    this.tabs = init.tabs;
    this.streamWebView = init.streamWebView;
    this.activityTtlMs = init.activityTtlSeconds * 1000;
    this.saveProfile = init.saveProfile;
    this.runners = init.runners;
    this.expiresAt = new Date(this.createdAt.getTime() + init.ttlSeconds * 1000);
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    const wsOrigin = init.origin.replace(/^http/, "ws");
    this.cdpUrl = `${wsOrigin}/cdp/${this.id}?token=${this.cdpToken}`;
    this.liveViewUrl = this.streamWebView ? `${init.origin}/live/${this.id}?token=${this.liveToken}` : "";
    // `interactive=true` tells the page to send input; the token alone decides whether the server takes it.
    this.interactiveLiveViewUrl = this.streamWebView
      ? `${init.origin}/live/${this.id}?token=${this.interactiveLiveToken}&interactive=true`
      : "";
    this.ttlTimer = setTimeout(() => void this.end("expired"), init.ttlSeconds * 1000);
    this.scheduleIdleCheck();
    void this.browser.exited.then(() => {
      if (this.status === "active") void this.end("browser_exited");
    });
  }

  /** Pid of the session's Chromium (its process group id). */
  get pid(): number {
    return this.browser.pid;
  }

  /** The Chromium's user-data-dir (a temp dir, removed when the session ends). */
  get userDataDir(): string {
    return this.browser.userDataDir;
  }

  /** The browser's token-guarded CDP endpoint for the emulator's own clients (its Playwright, the runners). */
  get browserWsEndpoint(): string {
    return this.browser.wsEndpoint;
  }

  /** A channel of its own on the browser's CDP connection, for one client of the public `cdpUrl`. */
  openCdpChannel(): CdpChannel {
    return this.control.openChannel();
  }

  /** The tab tracker, so the CDP proxy can report tabs a client brings to front. */
  get activeTabs(): ActiveTabTracker {
    return this.tabs;
  }

  /** Loads `url` in the active tab (a new session's start URL), over the control connection; resolves on commit. */
  async navigate(url: string): Promise<void> {
    const targetId = this.tabs.active;
    if (!targetId) return;
    const attached = await this.control.send("Target.attachToTarget", { targetId, flatten: true });
    const sessionId = attached.sessionId as string;
    try {
      await this.control.send("Page.navigate", { url }, sessionId);
    } finally {
      await this.control.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
    }
  }

  /** How many executes are running in this session now. */
  get runningExecutes(): number {
    return this.runs.size;
  }

  /** Records activity now (resets the activityTtl countdown). */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** The session's live-view hub, created on first use. */
  liveView(): LiveViewHub {
    this.hub ??= new LiveViewHub(this.control, this.tabs, () => this.touch());
    return this.hub;
  }

  /** Registers something to close when the session ends (a proxied socket); returns the unregister function. */
  onEnd(close: () => void): () => void {
    if (this.status === "destroyed") {
      queueMicrotask(close);
      return () => undefined;
    }
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /**
   * Runs code against this session's browser, as Firecrawl does: `node` (Playwright, `result` is the last
   * expression's value), `python` (Playwright for Python; 400 `unsupported_language` when this machine lacks it) or
   * `bash` (agent-browser driving this browser). A running execute counts as continuous activity.
   */
  async execute(
    code: string,
    language: ExecuteLanguage = DEFAULT_EXECUTE_LANGUAGE,
    timeoutSeconds = DEFAULT_EXECUTE_TIMEOUT_S,
  ): Promise<ExecuteResponse> {
    this.touch();
    await this.runners.assertSupported(language);
    this.assertActive();
    // Past the caps the answer is a 429 and nothing is started.
    const release = this.admitRun();
    try {
      const home = language === "bash" ? await this.agentBrowserHome() : undefined;
      // Checked again right before the run starts: the session may have ended while the language was checked.
      this.assertActive();
      const job = { wsEndpoint: this.browser.wsEndpoint, activeTargetId: this.tabs.active, code, timeoutSeconds };
      const run = this.runners.run(job, language, home);
      this.runs.add(run);
      try {
        return await run.outcome;
      } finally {
        this.runs.delete(run);
        this.touch();
      }
    } finally {
      release();
    }
  }

  /**
   * Takes a slot for a run in this session (an execute, or a prompt agent's run) under the emulator's caps, or
   * throws the 429 `rate_limited`; returns the slot's release.
   */
  admitRun(): () => void {
    return this.runners.limits.admit(this.id);
  }

  private assertActive(): void {
    if (this.status === "destroyed") throw sessionDestroyed(this.endReason);
  }

  private agentBrowserHome(): Promise<AgentBrowserHome> {
    this.agentBrowser ??= this.runners.agentBrowser({
      sessionId: this.id,
      wsEndpoint: this.browser.wsEndpoint,
      // The daemon's own idle timeout: a backstop should the emulator die without ending the session.
      idleTimeoutMs: this.expiresAt.getTime() - Date.now(),
    });
    // A failed creation is retried by the next bash execute.
    this.agentBrowser.catch(() => {
      this.agentBrowser = undefined;
    });
    return this.agentBrowser;
  }

  /** The list entry of this session. */
  toListEntry(): Required<InteractSession> {
    return {
      id: this.id,
      status: this.status,
      cdpUrl: this.cdpUrl,
      liveViewUrl: this.liveViewUrl,
      interactiveLiveViewUrl: this.interactiveLiveViewUrl,
      streamWebView: this.streamWebView,
      createdAt: this.createdAt.toISOString(),
      lastActivity: new Date(this.lastActivity).toISOString(),
    };
  }

  /** Milliseconds until the session ends by itself (ttl or idle), whichever comes first. */
  remainingMs(now = Date.now()): number {
    return Math.max(0, Math.min(this.expiresAt.getTime(), this.lastActivity + this.activityTtlMs) - now);
  }

  /**
   * Ends the session now: viewers are told why, sockets and runs are closed, Chromium is stopped (gracefully when
   * the profile must be saved), the profile is written back, and the temp dir removed. Idempotent.
   */
  end(reason: EndReason): Promise<void> {
    if (this.status === "destroyed") return this.ended;
    this.status = "destroyed";
    this.endReason = reason;
    this.endedAt = new Date();
    clearTimeout(this.ttlTimer);
    clearTimeout(this.idleTimer);
    this.hub?.end(reason);
    for (const close of this.closers) close();
    this.closers.clear();
    const runsKilled = [...this.runs].map((run) => run.kill());
    void this.cleanUp(runsKilled)
      .catch((error: unknown) => {
        this.cleanupError = error;
      })
      .finally(() => this.resolveEnded());
    return this.ended;
  }

  private async cleanUp(runsKilled: Promise<void>[]): Promise<void> {
    // Every process the runs started is gone before the session counts as ended.
    await Promise.all(runsKilled);
    try {
      if (this.saveProfile && !this.control.isClosed) {
        // A graceful close flushes cookies and local storage to disk before we copy the profile.
        await this.control.send("Browser.close").catch(() => undefined);
        await this.browser.waitForExit(5_000);
      }
    } finally {
      this.tabs.stop();
      this.control.close();
      // agent-browser daemons are detached from the runs that started them: stop them with the browser.
      const agentBrowser = this.agentBrowser?.then(
        (home) => this.runners.releaseAgentBrowser(home),
        () => undefined,
      );
      await Promise.all([this.browser.kill(this.saveProfile), agentBrowser]);
    }
  }

  private scheduleIdleCheck(): void {
    const wait = Math.max(0, this.lastActivity + this.activityTtlMs - Date.now());
    this.idleTimer = setTimeout(() => {
      if (this.status !== "active") return;
      if (this.runs.size > 0) this.touch();
      if (Date.now() >= this.lastActivity + this.activityTtlMs) void this.end("idle");
      else this.scheduleIdleCheck();
    }, wait + 5);
  }
}
