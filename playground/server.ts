import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
// The dev server runs from source; the page itself imports only the package's public entry points (see vite.config.ts).
import { createInteractMiddleware, createMemoryOwnerStore, type NodeMiddleware } from "firecrawl-interact/server";
import { type Emulator, type EmulatorOptions, startEmulator } from "firecrawl-interact-emulator";
import { createServer as createViteServer, type LogLevel, type ViteDevServer } from "vite";
import { INFO_PATH, PROXY_PATH } from "./src/paths.js";

/** The playground's one user: the developer running it. */
const LOCAL_USER = "local-developer";

/** Which API the playground's proxy talks to. */
export type PlaygroundMode = "emulator" | "firecrawl";

/** Options of {@link startPlayground}. */
export interface PlaygroundOptions {
  /** Port to listen on; 0 picks a free one (default 5173). */
  port?: number;
  /** Interface to bind (default 127.0.0.1: the proxy spends your key, so it is not offered to the network). */
  host?: string;
  /** Firecrawl key; default `FIRECRAWL_API_KEY`. Without one the playground starts an embedded emulator. */
  apiKey?: string;
  /** Firecrawl API root (default `FIRECRAWL_API_URL`, then Firecrawl's `/v2`). */
  baseUrl?: string;
  /** Key shared only by the proxy and the embedded emulator (default: random per start). */
  emulatorKey?: string;
  /** Options of the embedded emulator (its key comes from `emulatorKey`). */
  emulator?: Omit<EmulatorOptions, "apiKey">;
  /** Vite's log level (default "info"). */
  logLevel?: LogLevel;
}

/** A running playground. */
export interface Playground {
  /** Page URL, e.g. `http://127.0.0.1:5173/`. */
  readonly url: string;
  /** `emulator` without a key, `firecrawl` with one. */
  readonly mode: PlaygroundMode;
  /** Banner text: "local emulator" or "Firecrawl API". */
  readonly label: string;
  /** The embedded emulator, or null in `firecrawl` mode. */
  readonly emulator: Emulator | null;
  /** Stops Vite, the HTTP server and the emulator (with every Chromium it started). */
  close(): Promise<void>;
}

/** The emulator's built-in offline start page (served by the emulator itself, see its start-page.ts). */
const EMULATOR_START_PATH = "/__emulator/start";

/**
 * What a new session opens on. On the emulator: its start page, offline. On Firecrawl: example.com, a tiny public page
 * that always loads, so the view shows a real page instead of about:blank (one navigation; nothing is submitted).
 */
const FIRECRAWL_START_URL = "https://example.com/";

const LABELS: Record<PlaygroundMode, string> = { emulator: "local emulator", firecrawl: "Firecrawl API" };

const VITE_CONFIG = fileURLToPath(new URL("../vite.config.ts", import.meta.url));

function infoRoute(mode: PlaygroundMode, startUrl: string): NodeMiddleware {
  const body = JSON.stringify({ mode, label: LABELS[mode], startUrl });
  return (request, response, next) => {
    if ((request.url ?? "").split("?")[0] !== INFO_PATH) return next?.();
    const allowed = request.method === "GET" || request.method === "HEAD";
    response.writeHead(allowed ? 200 : 405, {
      "content-type": "application/json",
      "cache-control": "no-store",
      ...(allowed ? {} : { allow: "GET, HEAD" }),
    });
    response.end(allowed && request.method === "GET" ? body : undefined);
  };
}

/** Runs Connect-style middlewares in order; the last one always answers. */
function chain(middlewares: readonly NodeMiddleware[]) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const run = (index: number, error?: unknown): void => {
      const middleware = middlewares[index];
      if (error !== undefined || !middleware) {
        response.statusCode = error === undefined ? 404 : 500;
        response.end();
        return;
      }
      middleware(request, response, (nextError?: unknown) => run(index + 1, nextError));
    };
    run(0);
  };
}

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

/**
 * Starts the playground: Vite (middleware mode, so this module owns signals and shutdown) behind the interact proxy
 * at `/api/firecrawl`, talking to Firecrawl when a key is set and to an embedded emulator otherwise.
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const apiKey = (options.apiKey ?? process.env.FIRECRAWL_API_KEY ?? "").trim();
  const mode: PlaygroundMode = apiKey ? "firecrawl" : "emulator";
  const emulatorKey = options.emulatorKey ?? `emulator-${randomBytes(16).toString("hex")}`;
  const emulator = mode === "emulator" ? await startEmulator({ ...options.emulator, apiKey: emulatorKey }) : null;
  const httpServer = createServer();
  let vite: ViteDevServer | undefined;
  try {
    vite = await createViteServer({
      configFile: VITE_CONFIG,
      logLevel: options.logLevel ?? "info",
      appType: "spa",
      server: { middlewareMode: true, hmr: { server: httpServer } },
    });
    const owners = createMemoryOwnerStore();
    const proxy = createInteractMiddleware({
      apiKey: emulator ? emulatorKey : apiKey,
      baseUrl: emulator ? emulator.url : (options.baseUrl ?? process.env.FIRECRAWL_API_URL),
      basePath: PROXY_PATH,
      // A local developer tool driving the developer's own sessions: every feature of the page is enabled.
      // The scrape panel asks for the two formats it shows, which Firecrawl and the emulator both make.
      limits: {
        allowExecute: true,
        allowProfiles: true,
        allowScrape: true,
        allowedScrapeFormats: ["markdown", "links"],
        allowScrapeInteract: true,
      },
      // One user, the developer; one process, so its memory is the owner store of its sessions and scrapes.
      authorize: () => ({ userId: LOCAL_USER }),
      store: owners,
    });
    const viteMiddlewares = vite.middlewares as unknown as NodeMiddleware;
    const startUrl = emulator ? `${emulator.origin}${EMULATOR_START_PATH}` : FIRECRAWL_START_URL;
    httpServer.on("request", chain([infoRoute(mode, startUrl), proxy, viteMiddlewares]));
    const host = options.host ?? "127.0.0.1";
    const port = await listen(httpServer, options.port ?? 5173, host);
    const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
    let closing: Promise<void> | undefined;
    const devServer = vite;
    return {
      url: `http://${urlHost}:${port}/`,
      mode,
      label: LABELS[mode],
      emulator,
      close: () => {
        closing ??= (async () => {
          httpServer.closeAllConnections();
          await Promise.allSettled([
            new Promise<void>((resolve) => httpServer.close(() => resolve())),
            devServer.close(),
            emulator?.close(),
          ]);
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.allSettled([vite?.close(), emulator?.close()]);
    httpServer.close();
    throw error;
  }
}
