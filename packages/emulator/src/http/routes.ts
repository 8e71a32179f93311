import { randomBytes } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { EmulatorHttpError } from "../errors.js";
import { liveViewCsp, renderLiveViewPage } from "../live-view/page.js";
import { type ApiContext, assertAuthorized, handleApi } from "./api.js";
import { type FaultRegistry, type PendingFault, parseFaultSpec } from "./faults.js";
import { readBody, sendError, sendJson } from "./json.js";
import { handleScrape } from "./scrape-route.js";
import { isStartPagePath, serveStartPage } from "./start-page.js";
import { checkSocketAccess, parseSocketRoute } from "./upgrade.js";

/** What the HTTP routes of the emulator need. */
export interface HttpRoutesOptions {
  readonly api: ApiContext;
  /** The Host check (DNS-rebinding guard) applied to every request. */
  readonly hostAllowed: (host: string | undefined) => boolean;
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
  if ("status" in access) {
    throw new EmulatorHttpError(access.status, access.status === 403 ? "forbidden" : "not_found", "Not found");
  }
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
  assertAuthorized(request, context.apiKey);
  if (request.method === "POST") faults.add(parseFaultSpec(await readBody(request)));
  else if (request.method === "DELETE") faults.clear();
  else if (request.method !== "GET") {
    throw new EmulatorHttpError(405, "method_not_allowed", "Use GET, POST or DELETE", {
      allow: ["GET", "POST", "DELETE"],
    });
  }
  sendJson(response, 200, { success: true, pending: faults.pending() satisfies PendingFault[] });
}

/**
 * The emulator's request listener: the Host guard, then `POST /v2/scrape` (outside the interact spec), `/v2` (the
 * spec's API), `/live/<id>` and the fault route.
 */
export function createHttpRoutes(options: HttpRoutesOptions): RequestListener {
  const { api, hostAllowed, faultRoute } = options;
  return (request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const path = url.pathname;
    void (async () => {
      try {
        if (!hostAllowed(request.headers.host)) throw new EmulatorHttpError(403, "forbidden", "Host not allowed");
        if ((path === "/v2/scrape" || path === "/v2/scrape/") && request.method === "POST") {
          await handleScrape(api, request, response);
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
      } catch (error) {
        const httpError =
          error instanceof EmulatorHttpError
            ? error
            : new EmulatorHttpError(500, "internal_error", error instanceof Error ? error.message : "Internal error");
        sendError(response, httpError.answer);
      }
    })();
  };
}
