import type { IncomingMessage, ServerResponse } from "node:http";
import type { CreateSessionRequest, ExecuteRequest } from "../client/client.js";
import { validateCreateSession, validateExecute, validateSessionId, validateStatusFilter } from "../client/validate.js";
import type { FaultRegistry } from "./faults.js";
import { EmulatorHttpError, readJsonBody, sendError, sendJson, validateOr400 } from "./http-util.js";
import type { SessionRegistry } from "./registry.js";
import { matchRoute, type RouteMatch } from "./routes.js";
import { type Session, tokenMatches } from "./session.js";

/** Languages the emulator can run; the spec also names python and bash, which answer 400 here. */
export const SUPPORTED_LANGUAGES = ["node"] as const;

/** What the API handlers need from the emulator. */
export interface ApiContext {
  registry: SessionRegistry;
  faults: FaultRegistry;
  /** When set, only this key is accepted; otherwise any non-empty Bearer key is. */
  apiKey: string | undefined;
  /** `http://host:port` of the emulator itself, used when a request has no usable Host header. */
  fallbackOrigin: string;
}

const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The origin a client reached us on (so returned URLs work from where it stands), or the fallback. */
export function requestOrigin(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host && HOST_PATTERN.test(host) ? `http://${host}` : fallback;
}

/** Checks `Authorization: Bearer <key>` (and the configured key, when there is one); throws a 401 otherwise. */
export function assertAuthorized(request: IncomingMessage, apiKey: string | undefined): void {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
  if (!presented || (apiKey !== undefined && !tokenMatches(apiKey, presented))) {
    throw new EmulatorHttpError(401, "unauthorized", "Unauthorized: missing or invalid API key");
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function findSession(context: ApiContext, match: RouteMatch): Session {
  const sessionId = match.params.sessionId;
  validateOr400(() => validateSessionId(sessionId));
  const session = context.registry.get(sessionId as string);
  if (!session) throw new EmulatorHttpError(404, "not_found", "Session not found");
  if (session.status === "destroyed") {
    throw new EmulatorHttpError(410, "session_destroyed", "Session already destroyed", {
      reason: session.endReason,
    });
  }
  return session;
}

async function run(context: ApiContext, match: RouteMatch, request: IncomingMessage, url: URL): Promise<unknown> {
  switch (match.kind) {
    case "list": {
      const status = url.searchParams.get("status") ?? undefined;
      validateOr400(() => validateStatusFilter(status));
      const sessions = context.registry.list(status as "active" | "destroyed" | undefined);
      return { success: true, sessions: sessions.map((session) => session.toListEntry()) };
    }
    case "create": {
      const body = (await readJsonBody(request)) ?? {};
      validateOr400(() => validateCreateSession(body));
      const session = await context.registry.create(
        body as CreateSessionRequest,
        requestOrigin(request, context.fallbackOrigin),
      );
      return {
        success: true,
        id: session.id,
        cdpUrl: session.cdpUrl,
        liveViewUrl: session.liveViewUrl,
        interactiveLiveViewUrl: session.interactiveLiveViewUrl,
        expiresAt: session.expiresAt.toISOString(),
      };
    }
    case "execute": {
      validateOr400(() => validateSessionId(match.params.sessionId));
      const body = (await readJsonBody(request)) ?? {};
      validateOr400(() => validateExecute(body));
      const { code, language = "node", timeout } = body as ExecuteRequest;
      if (!(SUPPORTED_LANGUAGES as readonly string[]).includes(language)) {
        throw new EmulatorHttpError(
          400,
          "unsupported_language",
          `The emulator runs node only; language "${language}" is not supported`,
          { field: "language", rule: "enum", limit: SUPPORTED_LANGUAGES },
        );
      }
      return findSession(context, match).execute(code, timeout);
    }
    case "delete": {
      const session = findSession(context, match);
      await context.registry.end(session, "deleted");
      const endedAt = session.endedAt ?? new Date();
      return {
        success: true,
        sessionDurationMs: endedAt.getTime() - session.createdAt.getTime(),
        // The emulator is free; the field is kept so clients read the same shape as from Firecrawl.
        creditsBilled: 0,
      };
    }
  }
}

/** Answers one request below `/v2` (path given without the prefix): route, faults, auth, validation, operation. */
export async function handleApi(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  url: URL,
): Promise<void> {
  try {
    const routed = matchRoute(request.method ?? "GET", path);
    if (!routed) throw new EmulatorHttpError(404, "not_found", `No route for ${request.method} /v2${path}`);
    if ("allow" in routed) {
      throw new EmulatorHttpError(405, "method_not_allowed", `Method ${request.method} not allowed here`, {
        allow: routed.allow,
      });
    }
    const { match } = routed;
    const fault = context.faults.take(match.operationId, match.canonicalId);
    if (fault) {
      if (fault.delayMs > 0) await delay(fault.delayMs);
      if (fault.kind === "drop") {
        request.socket.destroy();
        return;
      }
      if (fault.kind === "fail") throw fault.error;
    }
    assertAuthorized(request, context.apiKey);
    sendJson(response, 200, await run(context, match, request, url));
  } catch (error) {
    if (error instanceof EmulatorHttpError) sendError(response, error);
    else {
      sendError(
        response,
        new EmulatorHttpError(500, "internal_error", error instanceof Error ? error.message : "Internal error"),
      );
    }
  }
}
