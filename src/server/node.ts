import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_BASE_PATH } from "../core/defaults.js";
import { nodeBodyStream } from "../core/json-body.js";
import { createInteractHandler, type InteractHandler, type InteractHandlerOptions } from "./handler.js";
import { errorResponse, noOperationResponse } from "./respond.js";
import { matchRoute, normalizeBasePath } from "./routes.js";

/** A Connect/Express-style middleware: handles its requests and passes the rest to `next`. */
export type NodeMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /** Only requests at or below this path are handled; the others go to `next` (or get a 404 without one). */
  basePath?: string;
}

/** Request shape after Express or Connect had a look at it. */
interface ConnectRequest extends IncomingMessage {
  /** The full path before a mount point was stripped (Connect, Express). */
  originalUrl?: string;
  /** A body a JSON body parser already consumed (Express `express.json()`). */
  body?: unknown;
}

// Percent signs, backslashes, empty and dot segments never occur in a forwarded path; URL parsing would rewrite
// them (`%2e%2e` → `..` → parent), so they are refused before a URL is ever built from the raw target.
const UNSAFE_RAW_PATH = /[%\\]|\/\/|(^|\/)\.\.?(\/|$)/;

const isUnder = (path: string, basePath: string) => path === basePath || path.startsWith(`${basePath}/`);

// Methods a Fetch Request refuses to carry; they are answered here, with the Allow of the path when it has one.
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

const answerWithoutHandler = (rawPath: string, basePath: string, method: string): Response =>
  noOperationResponse(matchRoute(rawPath, basePath, method), method);

function toRequest(request: ConnectRequest, target: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = request.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (method !== "GET" && method !== "HEAD") {
    if (request.body !== undefined) {
      init.body = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
      headers.delete("content-length");
    } else {
      init.body = nodeBodyStream(request);
      init.duplex = "half";
    }
  }
  // The origin is fixed: the proxy never looks at the Host header, so a forged one changes nothing.
  return new Request(new URL(target, "http://localhost"), init);
}

async function send(response: Response, to: ServerResponse): Promise<void> {
  to.statusCode = response.status;
  // A request body we stopped reading can't be followed by another request on the same connection.
  if (!to.req.complete) to.shouldKeepAlive = false;
  response.headers.forEach((value, name) => {
    to.setHeader(name, value);
  });
  if (!response.body) {
    to.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    to.write(value);
  }
  to.end();
}

/** Adapts a Fetch-API handler to Node's `http` server, Express and Vite (`server.middlewares.use(…)`). */
export function toNodeHandler(handler: InteractHandler, options: NodeHandlerOptions = {}): NodeMiddleware {
  const basePath = options.basePath === undefined ? "" : normalizeBasePath(options.basePath);
  return (request: ConnectRequest, response, next) => {
    const target = request.originalUrl ?? request.url ?? "/";
    const rawPath = target.split("?")[0] ?? "";
    if (!rawPath.startsWith("/") || !isUnder(rawPath, basePath)) {
      if (next) next();
      else void send(noOperationResponse({ kind: "none" }, request.method ?? "GET"), response);
      return;
    }
    const aborter = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) aborter.abort();
    });
    const method = (request.method ?? "GET").toUpperCase();
    const answer =
      UNSAFE_RAW_PATH.test(rawPath) || FORBIDDEN_METHODS.has(method)
        ? Promise.resolve(answerWithoutHandler(UNSAFE_RAW_PATH.test(rawPath) ? "" : rawPath, basePath, method))
        : Promise.resolve().then(() => handler(toRequest(request, target, aborter.signal)));
    answer
      .then((result) => send(result, response))
      .catch((error: unknown) => {
        if (next) next(error);
        else if (!response.headersSent)
          void send(errorResponse(500, "internal_error", "The interact proxy failed"), response);
        else response.destroy();
      });
  };
}

/** Creates the proxy as Node middleware in one call: {@link createInteractHandler} + {@link toNodeHandler}. */
export function createInteractMiddleware(options: InteractHandlerOptions = {}): NodeMiddleware {
  return toNodeHandler(createInteractHandler(options), { basePath: options.basePath ?? DEFAULT_BASE_PATH });
}
