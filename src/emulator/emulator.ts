import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertAuthorized, handleApi } from "./api.js";
import { type LaunchedBrowser, launchBrowser } from "./browser.js";
import { resolveChromium } from "./chromium.js";
import { RunnerPool } from "./execute.js";
import { FaultRegistry, type FaultSpec, type PendingFault, parseFaultSpec } from "./faults.js";
import { createHostGuard } from "./host-guard.js";
import { EmulatorHttpError, readJsonBody, sendError, sendJson } from "./http-util.js";
import { liveViewCsp, renderLiveViewPage } from "./live-view-page.js";
import { ProfileStore } from "./profiles.js";
import { SessionRegistry } from "./registry.js";
import type { EndReason } from "./session.js";
import { checkSocketAccess, parseSocketRoute, UpgradeHandler } from "./upgrade.js";
import { WarmPool } from "./warm-pool.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** When set, only `Authorization: Bearer <apiKey>` is accepted; otherwise any Bearer key is. */
  apiKey?: string;
  /** Most sessions active at once (default 4); more → 429 with Retry-After. */
  maxSessions?: number;
  /** Where named profiles are stored (default `<tmpdir>/firecrawl-interact-emulator`). */
  dataDir?: string;
  /** Chromium binary; default: CHROMIUM_PATH, an installed Chrome/Chromium, then @sparticuz/chromium. */
  chromiumPath?: string;
  /** Browsers kept launched ahead of demand (default 1; 0 disables the warm pool). */
  warmPool?: number;
  /** Enables the fault-injection admin route `/__emulator/faults`. */
  faults?: boolean;
  /** Silences the emulator's own log lines. */
  quiet?: boolean;
  /**
   * Host names (besides IP literals, `localhost` and `host`) clients may use to reach the emulator, e.g. a Docker
   * service name. Requests with any other Host header get 403, which stops DNS-rebinding pages from driving it.
   */
  allowedHosts?: string[];
}

/** A session as the emulator sees it, for tests and tools (no tokens or URLs: those are credentials). */
export interface EmulatorSessionInfo {
  id: string;
  status: "active" | "destroyed";
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

/** Starts a local Firecrawl-compatible interact API backed by real Chromium. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const chromium = await resolveChromium(options.chromiumPath);
  const spawned = new Map<number, LaunchedBrowser>();
  const launch = async (userDataDir?: string): Promise<LaunchedBrowser> => {
    const browser = await launchBrowser({
      executablePath: chromium.path,
      ...(userDataDir ? { userDataDir } : {}),
    });
    spawned.set(browser.pid, browser);
    return browser;
  };
  const pool = new WarmPool(options.warmPool ?? 1, () => launch());
  const runners = new RunnerPool();
  const registry = new SessionRegistry({
    maxSessions: options.maxSessions ?? 4,
    acquireBrowser: () => pool.acquire(),
    launchWithProfile: (dir) => launch(dir),
    runners,
    profiles: new ProfileStore(options.dataDir ?? join(tmpdir(), "firecrawl-interact-emulator")),
  });
  const faults = new FaultRegistry();
  const host = options.host ?? "127.0.0.1";
  const hostAllowed = createHostGuard(host, options.allowedHosts);
  const upgrades = new UpgradeHandler(registry, hostAllowed);
  let origin = "";
  const apiContext = {
    registry,
    faults,
    apiKey: options.apiKey,
    get fallbackOrigin() {
      return origin;
    },
  };

  const serveLivePage = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const route = parseSocketRoute(url.pathname);
    if (route?.kind !== "live") throw new EmulatorHttpError(404, "not_found", "Not found");
    const access = checkSocketAccess(registry, route, url.searchParams.get("token"));
    if ("status" in access) {
      throw new EmulatorHttpError(access.status, access.status === 403 ? "forbidden" : "not_found", "Not found");
    }
    const nonce = randomBytes(16).toString("base64");
    const html = renderLiveViewPage(access.session.id, nonce);
    response.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": Buffer.byteLength(html),
      "Content-Security-Policy": liveViewCsp(nonce),
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    });
    response.end(request.method === "HEAD" ? undefined : html);
  };

  const serveFaults = async (request: IncomingMessage, response: ServerResponse) => {
    assertAuthorized(request, options.apiKey);
    if (request.method === "POST") {
      const spec = parseFaultSpec(await readJsonBody(request));
      faults.add(spec);
      sendJson(response, 200, { success: true, pending: faults.pending() satisfies PendingFault[] });
    } else if (request.method === "GET") sendJson(response, 200, { success: true, pending: faults.pending() });
    else if (request.method === "DELETE") {
      faults.clear();
      sendJson(response, 200, { success: true, pending: [] });
    } else
      throw new EmulatorHttpError(405, "method_not_allowed", "Use GET, POST or DELETE", {
        allow: ["GET", "POST", "DELETE"],
      });
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const path = url.pathname;
    void (async () => {
      try {
        if (!hostAllowed(request.headers.host)) throw new EmulatorHttpError(403, "forbidden", "Host not allowed");
        if (path === "/v2" || path.startsWith("/v2/")) {
          await handleApi(apiContext, request, response, path.slice(3), url);
        } else if (path.startsWith("/live/") && (request.method === "GET" || request.method === "HEAD")) {
          serveLivePage(request, response, url);
        } else if (path === "/__emulator/faults" && options.faults) {
          await serveFaults(request, response);
        } else {
          throw new EmulatorHttpError(404, "not_found", "Not found");
        }
      } catch (error) {
        const httpError =
          error instanceof EmulatorHttpError
            ? error
            : new EmulatorHttpError(500, "internal_error", error instanceof Error ? error.message : "Internal error");
        sendError(response, httpError);
      }
    })();
  });
  server.on("upgrade", (request, socket, head) => upgrades.handle(request, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  origin = `http://${urlHost}:${port}`;
  // Last resort when the host process exits without close(): no Chromium may outlive it.
  const killOnExit = () => {
    for (const browser of spawned.values()) {
      // Only groups whose leader Node has not reaped yet: their pid cannot have been reused by someone else.
      if (browser.killed || browser.process.exitCode !== null || browser.process.signalCode !== null) continue;
      try {
        process.kill(-browser.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
  process.once("exit", killOnExit);
  pool.start();
  log(options.quiet, `listening on ${origin}/v2 (Chromium from ${chromium.source})`);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/v2`,
    origin,
    port,
    chromiumPath: chromium.path,
    get activeSessions() {
      return registry.activeCount;
    },
    sessions: () =>
      registry.list().map((session) => ({
        id: session.id,
        status: session.status,
        endReason: session.endReason,
        pid: session.pid,
        userDataDir: session.userDataDir,
        runningExecutes: session.runningExecutes,
      })),
    spawnedPids: () => [...spawned.keys()],
    spawnedUserDataDirs: () => [...spawned.values()].map((browser) => browser.userDataDir),
    warm: () => pool.settled(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Ending sessions first tells live viewers "ended" (not a network drop) before their sockets are cut, and
        // lets requests in flight (an execute) answer before their connections go.
        await Promise.all([registry.closeAll(), pool.close()]);
        upgrades.close();
        runners.close();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
        clearTimeout(timer);
        server.closeAllConnections();
        await stopped;
        process.off("exit", killOnExit);
        log(options.quiet, "closed");
      })();
      return closing;
    },
  };
}
