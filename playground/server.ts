import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
// The dev server runs from source; the page itself imports only the package's public entry points (see vite.config.ts).
import { DEFAULT_BASE_URL, keyRedactor } from "firecrawl-interact/core";
import {
  createInteractMiddleware,
  createMemoryOwnerStore,
  type NodeMiddleware,
  type OwnerStore,
} from "firecrawl-interact/server";
import { type Emulator, type EmulatorOptions, startEmulator } from "firecrawl-interact-emulator";
import { createServer as createViteServer, type LogLevel, type ViteDevServer } from "vite";
import { INFO_PATH, PROXY_PATH, SCRAPE_PATH } from "./src/paths.js";

/** The playground's one user: the developer running it. */
const LOCAL_USER = "local-developer";
/** How long the developer owns a scrape's browser: the emulator keeps scrapes for an hour. */
const SCRAPE_OWNED_MS = 60 * 60 * 1000;

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

/** Largest body the scrape route reads (it only needs a URL). */
const MAX_SCRAPE_BODY_BYTES = 16 * 1024;

/** How long the scrape route waits for the upstream answer (Firecrawl's scrape timeout is 60 s by default). */
const SCRAPE_TIMEOUT_MS = 120_000;

/** Formats the playground's scrape asks for (both Firecrawl and the emulator make them). */
const SCRAPE_FORMATS = ["markdown", "links"];

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

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  response.end(JSON.stringify(body));
}

const fail = (
  response: ServerResponse,
  status: number,
  code: string,
  error: string,
  headers?: Record<string, string>,
) => sendJson(response, status, { success: false, error, code }, headers);

async function readSmallBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SCRAPE_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The scrape URL of a request body, or why there is none: only absolute http and https URLs are scraped. */
function scrapeUrl(text: string): { url: string } | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: 'The body must be JSON: { "url": "https://…" }' };
  }
  const raw = (body as { url?: unknown } | null)?.url;
  if (typeof raw !== "string" || raw.trim() === "") return { error: "url must be a non-empty string" };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: `url must be an absolute http or https URL (got ${JSON.stringify(raw)})` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { error: `url must use http or https (got ${url.protocol})` };
  }
  return { url: url.href };
}

/**
 * `POST /api/firecrawl/scrape` with `{ url }`: forwards a scrape of that URL to the API (`POST /v2/scrape`, with the
 * server's key and fixed formats, nothing else from the page) and passes its answer back, key redacted. The page
 * needs it to get a `scrapeId` for `POST /scrape/{id}/interact`, which the interact proxy forwards.
 */
function scrapeRoute(upstream: { baseUrl: string; apiKey: string }, owners: OwnerStore): NodeMiddleware {
  const target = `${upstream.baseUrl.replace(/\/+$/, "")}/scrape`;
  const redact = keyRedactor(upstream.apiKey);
  return (request, response, next) => {
    if ((request.url ?? "").split("?")[0] !== SCRAPE_PATH) return next?.();
    void (async () => {
      if (request.method !== "POST") return fail(response, 405, "method_not_allowed", "Use POST", { allow: "POST" });
      // JSON only: a cross-site form or a "simple" fetch can't send it without a CORS preflight, which gets no answer.
      if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
        return fail(response, 415, "unsupported_media_type", "Send the body as application/json");
      }
      const text = await readSmallBody(request);
      if (text === null) return fail(response, 413, "payload_too_large", "The body is too large");
      const checked = scrapeUrl(text);
      if ("error" in checked) return fail(response, 400, "invalid_request", checked.error);
      let answer: Response;
      try {
        answer = await fetch(target, {
          method: "POST",
          headers: { authorization: `Bearer ${upstream.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ url: checked.url, formats: SCRAPE_FORMATS }),
          signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
        });
      } catch (error) {
        return (error as Error).name === "TimeoutError"
          ? fail(response, 504, "timeout", `The scrape took longer than ${SCRAPE_TIMEOUT_MS / 1000} s`)
          : fail(response, 502, "upstream_unreachable", "The scrape API could not be reached");
      }
      const body = redact(await answer.text());
      await recordScrapeOwner(owners, answer.ok ? body : "");
      response.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
        "cache-control": "no-store",
        ...(answer.headers.get("retry-after") ? { "retry-after": answer.headers.get("retry-after") as string } : {}),
      });
      response.end(body);
    })().catch(() => {
      if (!response.headersSent) fail(response, 500, "internal_error", "The scrape route failed");
      else response.destroy();
    });
  };
}

/** The developer owns the scrapes it made, so the proxy lets it interact with them. */
async function recordScrapeOwner(owners: OwnerStore, body: string): Promise<void> {
  let scrapeId: unknown;
  try {
    scrapeId = JSON.parse(body)?.data?.metadata?.scrapeId;
  } catch {}
  if (typeof scrapeId === "string") await owners.add(LOCAL_USER, "scrape", scrapeId, Date.now() + SCRAPE_OWNED_MS);
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
      limits: { allowExecute: true, allowProfiles: true, allowScrapeInteract: true },
      // One user, the developer; one process, so its memory is the owner store that lists the sessions.
      authorize: () => ({ userId: LOCAL_USER }),
      store: owners,
    });
    const viteMiddlewares = vite.middlewares as unknown as NodeMiddleware;
    const scrape = scrapeRoute(
      {
        apiKey: emulator ? emulatorKey : apiKey,
        baseUrl: emulator ? emulator.url : (options.baseUrl ?? process.env.FIRECRAWL_API_URL ?? DEFAULT_BASE_URL),
      },
      owners,
    );
    const startUrl = emulator ? `${emulator.origin}${EMULATOR_START_PATH}` : FIRECRAWL_START_URL;
    httpServer.on("request", chain([infoRoute(mode, startUrl), scrape, proxy, viteMiddlewares]));
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
