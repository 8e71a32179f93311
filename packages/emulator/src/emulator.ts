import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionStatus } from "firecrawl-interact/core";
import { resolveChromium } from "./browser/chromium.js";
import { BrowserLauncher } from "./browser/launch.js";
import { browserOpener } from "./browser/open-browser.js";
import { ProfileStore } from "./browser/profiles.js";
import { WarmPool } from "./browser/warm-pool.js";
import type { EmulatorAgent } from "./execute/prompt-agent.js";
import { RunnerPool } from "./execute/runner-pool.js";
import { closeOnSignals, removeDirsOnExit } from "./host-signals.js";
import type { RequestGuards } from "./http/admission.js";
import type { ApiContext } from "./http/api.js";
import { ApiKeys } from "./http/auth.js";
import { FaultRegistry, type FaultSpec } from "./http/faults.js";
import { createHostGuard } from "./http/host-guard.js";
import { createOriginGuard } from "./http/origin-guard.js";
import { createHttpRoutes } from "./http/routes.js";
import { createHttpServer } from "./http/server.js";
import { START_PAGE_PATH, startUrlResolver } from "./http/start-page.js";
import { UpgradeHandler } from "./http/upgrade.js";
import { loadViewerScript } from "./live-view/viewer-asset.js";
import { ScrapeJobs } from "./scrape/jobs.js";
import { Scraper } from "./scrape/scraper.js";
import { SessionRegistry } from "./sessions/registry.js";
import type { EndReason, Session } from "./sessions/session.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /**
   * When set, only `Authorization: Bearer <apiKey>` is accepted; otherwise any Bearer key is. Every operation needs
   * one, `POST /v2/scrape` included unless {@link keylessScrape}. Every key is one team; see {@link apiKeys}.
   */
  apiKey?: string;
  /**
   * Teams, as on Firecrawl: key → team name (`{ "fc-a": "team-a", "fc-b": "team-b" }`). Only these keys are accepted;
   * the sessions, scrapes and profiles a key makes belong to its team, and another team's key gets 403 `"Forbidden."`
   * (profiles of one name are one per team). Not together with {@link apiKey}.
   */
  apiKeys?: Readonly<Record<string, string>>;
  /**
   * Serves `POST /v2/scrape` without a key, as Firecrawl does (a key that is sent must still be right). Its
   * interaction (`/v2/scrape/{id}/interact`, which runs code) needs the key even so.
   */
  keylessScrape?: boolean;
  /** Most sessions active at once (default 4); more → 429 with Retry-After. */
  maxSessions?: number;
  /** Where named profiles are stored (default `<tmpdir>/firecrawl-interact-emulator`). */
  dataDir?: string;
  /** Chromium binary; default: CHROMIUM_PATH, an installed Chrome/Chromium, then @sparticuz/chromium. */
  chromiumPath?: string;
  /**
   * Python for `language: "python"` (it needs Playwright for Python: `pip install playwright`); default
   * FIRECRAWL_EMULATOR_PYTHON, then `python3`. Without Playwright, Python executes answer 400 `unsupported_language`.
   */
  python?: string;
  /**
   * Most runs (executes, scrape-bound interact code and prompts) going on at once in the emulator (default 8); past
   * it, a run is refused with 429 `rate_limited` and Retry-After, and nothing is started for it.
   */
  maxConcurrentRuns?: number;
  /** Most runs going on at once in one session (default 2); past it, 429 as for {@link maxConcurrentRuns}. */
  maxConcurrentRunsPerSession?: number;
  /** Browsers kept launched ahead of demand (default 1; 0 disables the warm pool). */
  warmPool?: number;
  /**
   * Where a new session's tab opens (default `about:blank`, as on Firecrawl): an http(s) URL, or a path on the
   * emulator itself such as {@link START_PAGE_PATH} (its offline start page). A scrape's session opens on the
   * scraped page instead.
   */
  startUrl?: string;
  /**
   * Closes the emulator (every Chromium, every temp dir) on SIGINT and SIGTERM, then lets the signal go on: raised
   * again, it ends the process, unless the host listens for it itself (default true). False leaves signals to the host.
   */
  closeOnSignals?: boolean;
  /** Enables the fault-injection admin route `/__emulator/faults`. */
  faults?: boolean;
  /** Silences the emulator's own log lines. */
  quiet?: boolean;
  /**
   * Host names (besides IP literals, `localhost` and `host`) clients may use to reach the emulator, e.g. a Docker
   * service name. Requests with any other Host header get 403, which stops DNS-rebinding pages from driving it.
   */
  allowedHosts?: string[];
  /**
   * Origins (`http://localhost:5173`) whose pages may call the emulator besides its own. A request or upgrade whose
   * `Origin` is any other gets 403, so no web page on another site can drive it. Requests without `Origin` pass.
   */
  allowedOrigins?: string[];
  /**
   * Answers the `prompt` of `POST /v2/scrape/{jobId}/interact` (the emulator has no AI of its own): it gets Playwright
   * on the session's active tab and an abort signal for the request's timeout. Without one, prompts answer 400
   * `agent_not_configured`; `code` always works.
   */
  agent?: EmulatorAgent;
}

/** A session as the emulator sees it, for tests and tools (no tokens or URLs: those are credentials). */
export interface EmulatorSessionInfo {
  id: string;
  status: SessionStatus;
  endReason: EndReason | undefined;
  /** Pid of the session's Chromium (its process-group id). */
  pid: number;
  /** The Chromium's temp user-data-dir (removed when the session ends). */
  userDataDir: string;
  /** Executes running in the session now. */
  runningExecutes: number;
}

/** A running emulator. */
export interface Emulator {
  /** API root, e.g. `http://127.0.0.1:3002/v2`: use it as a client's `baseUrl`. */
  readonly url: string;
  /** `http://host:port` of the emulator. */
  readonly origin: string;
  /** The port it listens on. */
  readonly port: number;
  /** The emulator's offline start page (a clock, a form, a long page), e.g. `http://127.0.0.1:3002/__emulator/start`. */
  readonly startPageUrl: string;
  /** Where the Chromium binary came from. */
  readonly chromiumPath: string;
  /** Number of active sessions. */
  readonly activeSessions: number;
  /** Every session it knows, active and destroyed. */
  sessions(): EmulatorSessionInfo[];
  /** Pid of every Chromium this emulator ever launched (sessions and warm pool), for leak checks. */
  spawnedPids(): number[];
  /** Temp user-data-dir of every Chromium this emulator ever launched, for leak checks. */
  spawnedUserDataDirs(): string[];
  /** Resolves once the warm pool is full (or its launches failed). */
  warm(): Promise<void>;
  /** Makes the next `count` calls of an operation fail, stall or drop (works even without `faults: true`). */
  injectFault(fault: FaultSpec): void;
  /** Removes every pending fault. */
  clearFaults(): void;
  /** Stops listening, destroys every session, kills every Chromium it started and removes their temp dirs. */
  close(): Promise<void>;
}

const log = (quiet: boolean | undefined, message: string) => {
  if (!quiet) console.error(`[firecrawl-interact emulator] ${message}`);
};

// What one emulator owns besides its HTTP server. Building them launches nothing: the warm pool starts after listen.
interface Services {
  launcher: BrowserLauncher;
  pool: WarmPool;
  runners: RunnerPool;
  registry: SessionRegistry;
  scraper: Scraper;
  faults: FaultRegistry;
}

function createServices(options: EmulatorOptions, chromiumPath: string): Services {
  const python = options.python ?? process.env.FIRECRAWL_EMULATOR_PYTHON;
  const { maxConcurrentRuns, maxConcurrentRunsPerSession } = options;
  // First: it throws on caps below 1 before anything else is set up.
  const runners = new RunnerPool({ python: python || undefined, maxConcurrentRuns, maxConcurrentRunsPerSession });
  const launcher = new BrowserLauncher(chromiumPath);
  const pool = new WarmPool(options.warmPool ?? 1, () => launcher.launch());
  const profiles = new ProfileStore(options.dataDir ?? join(tmpdir(), "firecrawl-interact-emulator"));
  const maxSessions = options.maxSessions ?? 4;
  const openBrowser = browserOpener(pool, launcher, profiles);
  const registry = new SessionRegistry({ maxSessions, openBrowser, runners, profiles });
  // A scrape borrows a browser only while it loads the page: as many may run at once as sessions may be active.
  const scraper = new Scraper({ openBrowser, maxConcurrent: maxSessions });
  return { launcher, pool, runners, registry, scraper, faults: new FaultRegistry() };
}

// The HTTP server (API, live-view pages, the fault route) and the WebSocket upgrades (CDP proxy, live views).
function createEmulatorServer(
  options: EmulatorOptions,
  access: { guards: RequestGuards; keys: ApiKeys },
  services: Services,
  viewerScript: string,
) {
  const { guards, keys } = access;
  const upgrades = new UpgradeHandler(services.registry, guards);
  const api: ApiContext = {
    registry: services.registry,
    faults: services.faults,
    keys,
    keylessScrape: options.keylessScrape === true,
    fallbackOrigin: "",
    startUrl: "about:blank",
    scraper: services.scraper,
    scrapeJobs: new ScrapeJobs(),
    agent: options.agent,
  };
  const server = createHttpServer(
    createHttpRoutes({ api, guards, faultRoute: options.faults === true, viewerScript }),
    (request, socket, head) => upgrades.handle(request, socket, head),
  );
  return { server, api, upgrades };
}

// Listens on `host:port`; resolves with the port bound.
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

// The origin clients use: a wildcard bind is reached on loopback, an IPv6 address in brackets.
function originOf(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "::") return `http://127.0.0.1:${port}`;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

// Stops listening, ends every session and scrape, kills every browser and child, then cuts what is left.
async function closeEmulator(server: Server, upgrades: UpgradeHandler, services: Services): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Ending sessions first tells live viewers "ended" (not a network drop) before their sockets are cut, and
  // lets requests in flight (an execute) answer before their connections go.
  await Promise.all([services.registry.closeAll(), services.scraper.close(), services.pool.close()]);
  upgrades.close();
  services.runners.close();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
  clearTimeout(timer);
  server.closeAllConnections();
  await stopped;
  services.launcher.dispose();
}

const sessionInfo = (session: Session): EmulatorSessionInfo => ({
  id: session.id,
  status: session.status,
  endReason: session.endReason,
  pid: session.pid,
  userDataDir: session.userDataDir,
  runningExecutes: session.runningExecutes,
});

// The handle of a started emulator over its services; `close` is called at most once.
function emulatorHandle(
  services: Services,
  at: { origin: string; port: number; chromiumPath: string },
  close: () => Promise<void>,
): Emulator {
  const { registry, launcher, pool, faults } = services;
  let closing: Promise<void> | undefined;
  return {
    url: `${at.origin}/v2`,
    origin: at.origin,
    port: at.port,
    startPageUrl: `${at.origin}${START_PAGE_PATH}`,
    chromiumPath: at.chromiumPath,
    get activeSessions() {
      return registry.activeCount;
    },
    sessions: () => registry.list().map(sessionInfo),
    spawnedPids: () => launcher.pids(),
    spawnedUserDataDirs: () => launcher.userDataDirs(),
    warm: () => pool.settled(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** Starts a local Firecrawl-compatible interact API backed by real Chromium. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  // Both before anything is launched: a missing browser or viewer asset fails the start with nothing to clean up.
  const [chromium, viewerScript] = await Promise.all([resolveChromium(options.chromiumPath), loadViewerScript()]);
  const host = options.host ?? "127.0.0.1";
  // Before the services too: a malformed allowedOrigins entry, startUrl or apiKeys throws here.
  const startUrl = startUrlResolver(options.startUrl);
  const keys = new ApiKeys({ apiKey: options.apiKey, apiKeys: options.apiKeys });
  const guards: RequestGuards = {
    hostAllowed: createHostGuard(host, options.allowedHosts),
    originAllowed: createOriginGuard(options.allowedOrigins),
  };
  const services = createServices(options, chromium.path);
  const { server, api, upgrades } = createEmulatorServer(options, { guards, keys }, services, viewerScript);
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    // Nothing was launched yet (the pool starts after listen): only the watchers need undoing.
    services.runners.close();
    services.launcher.dispose();
    throw error;
  }
  const origin = originOf(host, port);
  api.fallbackOrigin = origin;
  api.startUrl = startUrl(origin);
  services.pool.start();
  log(options.quiet, `listening on ${origin}/v2 (Chromium from ${chromium.source})`);
  const stopWatchingExit = removeDirsOnExit(() => services.launcher.userDataDirs());
  const emulator = emulatorHandle(services, { origin, port, chromiumPath: chromium.path }, async () => {
    stopWatchingSignals();
    await closeEmulator(server, upgrades, services);
    stopWatchingExit();
    log(options.quiet, "closed");
  });
  const stopWatchingSignals = options.closeOnSignals === false ? () => undefined : closeOnSignals(emulator.close);
  return emulator;
}
