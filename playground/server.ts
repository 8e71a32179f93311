import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
// The dev server runs from source; the page itself imports only the package's public entry points (see vite.config.ts).
import { createInteractMiddleware, type NodeMiddleware } from "firecrawl-interact/server";
import { type Emulator, type EmulatorOptions, startEmulator } from "firecrawl-interact-emulator";
import { createServer as createViteServer, type LogLevel, type ViteDevServer } from "vite";

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

/** Path of the info route the page reads its banner from (mode only, never the key). */
export const PLAYGROUND_INFO_PATH = "/api/playground-info";

/** Mount point of the interact proxy. */
export const PLAYGROUND_PROXY_PATH = "/api/firecrawl";

const LABELS: Record<PlaygroundMode, string> = { emulator: "local emulator", firecrawl: "Firecrawl API" };

const VITE_CONFIG = fileURLToPath(new URL("../vite.config.ts", import.meta.url));

function infoRoute(mode: PlaygroundMode): NodeMiddleware {
  const body = JSON.stringify({ mode, label: LABELS[mode] });
  return (request, response, next) => {
    if ((request.url ?? "").split("?")[0] !== PLAYGROUND_INFO_PATH) return next?.();
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
    const proxy = createInteractMiddleware({
      apiKey: emulator ? emulatorKey : apiKey,
      baseUrl: emulator ? emulator.url : (options.baseUrl ?? process.env.FIRECRAWL_API_URL),
      basePath: PLAYGROUND_PROXY_PATH,
      // A local developer tool driving the developer's own sessions: every feature of the page is enabled.
      limits: { allowExecute: true, allowProfiles: true },
    });
    const viteMiddlewares = vite.middlewares as unknown as NodeMiddleware;
    httpServer.on("request", chain([infoRoute(mode), proxy, viteMiddlewares]));
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
