import { randomBytes } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { EmulatorHttpError, errorMessage } from "../errors.js";
import { liveViewCsp, renderLiveViewPage } from "../live-view/page.js";
import { admitRequest, assertJsonBody, type RequestGuards } from "./admission.js";
import { type ApiContext, handleApi } from "./api.js";
import { type FaultRegistry, type PendingFault, parseFaultSpec } from "./faults.js";
import { readBody, sendError, sendJson } from "./json.js";
import { handleScrape, handleScrapeStatus } from "./scrape-route.js";
import { handleReplay } from "./session-routes.js";
import { isStartPagePath, serveStartPage } from "./start-page.js";
import { checkSocketAccess, parseSocketRoute, tokenRefusal } from "./upgrade.js";

/** What the HTTP routes of the emulator need. */
export interface HttpRoutesOptions {
  readonly api: ApiContext;
  /** The Host and Origin checks applied to every request. */
  readonly guards: RequestGuards;
  /** Serve the fault-injection admin route `/__emulator/faults`. */
  readonly faultRoute: boolean;
  /** The bundled live-view page script, inlined in every live-view page. */
  readonly viewerScript: string;
}

/** Serves a session's live-view page, guarded by its token; the page's script runs under a per-response nonce. */
function serveLivePage(
  { api, viewerScript }: HttpRoutesOptions,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): void {
  const route = parseSocketRoute(url.pathname);
  if (route?.kind !== "live") throw new EmulatorHttpError(404, "not_found", "Not found");
  const access = checkSocketAccess(api.registry, route, url.searchParams.get("token"));
  if ("status" in access) throw tokenRefusal(access.status);
  const nonce = randomBytes(16).toString("base64");
  const html = renderLiveViewPage(access.session.id, nonce, viewerScript);
  response.writeHead(200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": liveViewCsp(nonce),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
  });
  response.end(request.method === "HEAD" ? undefined : html);
}

/** The fault-injection admin route: POST adds a fault, GET lists pending ones, DELETE clears them. */
async function serveFaults(
  context: ApiContext,
  faults: FaultRegistry,
  request: IncomingMessage,
  response: ServerResponse,
) {
  context.keys.teamOf(request);
  if (request.method === "POST") faults.add(parseFaultSpec(await readBody(request)));
  else if (request.method === "DELETE") faults.clear();
  else if (request.method !== "GET") {
    throw new EmulatorHttpError(405, "method_not_allowed", "Use GET, POST or DELETE", {
      allow: ["GET", "POST", "DELETE"],
    });
  }
  sendJson(response, 200, { success: true, pending: faults.pending() satisfies PendingFault[] });
}

/** A route of Firecrawl's server outside the interact spec, matched by method and a pattern of the path below /v2. */
interface ServerRoute {
  readonly method: string;
  readonly path: RegExp;
  readonly serve: (
    api: ApiContext,
    request: IncomingMessage,
    response: ServerResponse,
    ids: (string | undefined)[],
  ) => unknown;
}

// The scrape, its status and a session's recordings; a trailing slash is the same path, as on Firecrawl.
const SERVER_ROUTES: readonly ServerRoute[] = [
  { method: "POST", path: /^\/scrape\/?$/, serve: (api, request, response) => handleScrape(api, request, response) },
  {
    method: "GET",
    path: /^\/scrape\/([^/]+)\/?$/,
    serve: (api, request, response, [jobId]) => handleScrapeStatus(api, request, response, jobId as string),
  },
  {
    method: "GET",
    path: /^\/(?:interact|browser)\/([^/]+)\/replay(?:\/([^/]+))?\/?$/,
    serve: (api, request, _response, [id, pageId]) => handleReplay(api, request, id as string, pageId),
  },
];

/** The server route of a request below /v2, with the ids its path carries (as sent: ids are never escaped). */
function serverRoute(method: string, path: string): { route: ServerRoute; ids: (string | undefined)[] } | undefined {
  for (const route of SERVER_ROUTES) {
    const match = route.method === method ? route.path.exec(path) : null;
    if (match) return { route, ids: match.slice(1) };
  }
  return undefined;
}

// Routes an admitted request: Firecrawl's routes outside the interact spec, `/v2`, `/live/<id>`, faults, start page.
async function route(options: HttpRoutesOptions, request: IncomingMessage, response: ServerResponse, url: URL) {
  const { api, faultRoute } = options;
  const path = url.pathname;
  const server = path.startsWith("/v2/") ? serverRoute(request.method ?? "GET", path.slice(3)) : undefined;
  if (server) {
    await server.route.serve(api, request, response, server.ids);
  } else if (path === "/v2" || path.startsWith("/v2/")) {
    await handleApi(api, request, response, path.slice(3), url);
  } else if (path.startsWith("/live/") && (request.method === "GET" || request.method === "HEAD")) {
    serveLivePage(options, request, response, url);
  } else if (path === "/__emulator/faults" && faultRoute) {
    await serveFaults(api, api.faults, request, response);
  } else if (isStartPagePath(path)) {
    serveStartPage(request, response, path);
  } else {
    throw new EmulatorHttpError(404, "not_found", "Not found");
  }
}

// Answers one request; whatever a handler throws becomes its error answer, never an unhandled rejection.
async function answer(options: HttpRoutesOptions, request: IncomingMessage, response: ServerResponse) {
  try {
    const url = admitRequest(options.guards, request);
    assertJsonBody(request);
    await route(options, request, response, url);
  } catch (error) {
    const httpError =
      error instanceof EmulatorHttpError ? error : new EmulatorHttpError(500, "internal_error", errorMessage(error));
    sendError(response, httpError.answer);
  }
}

/**
 * The emulator's request listener: the request target, Host and Origin checks and the JSON-only rule first, then
 * the routes. No request can end the process: every failure is answered (or, should even that fail, the connection
 * is cut).
 */
export function createHttpRoutes(options: HttpRoutesOptions): RequestListener {
  return (request, response) => {
    answer(options, request, response).catch(() => response.destroy());
  };
}
