import type { IncomingMessage } from "node:http";
import type { SuccessBody } from "firecrawl-interact/core";
import { browserSessionNotFound, EmulatorHttpError, forbidden } from "../errors.js";
import type { Session } from "../sessions/session.js";
import type { ApiContext } from "./context.js";

/** Why the emulator answers the recording routes with 501 (README: "What still differs from Firecrawl"). */
export const RECORDINGS_UNAVAILABLE =
  "Session recordings are not available in the emulator: encoding the screencast to HLS needs an encoder it does not ship.";

/** The session of a replay route, resolved as Firecrawl does: 404 unknown, 403 another team's. */
function ownSession(context: ApiContext, request: IncomingMessage, sessionId: string): Session {
  const team = context.keys.teamOf(request);
  const session = context.registry.get(sessionId);
  if (!session) throw browserSessionNotFound();
  if (session.team !== team) throw forbidden();
  return session;
}

/**
 * A session's status in Firecrawl's shape (`GET /v2/interact/{id}`): `running` while it lives and `stopped` once it
 * ended, then with its duration and the credits it cost (none here).
 */
export function sessionStatus(session: Session): SuccessBody<"getBrowserSession"> {
  const links = {
    cdpUrl: session.cdpUrl,
    liveViewUrl: session.liveViewUrl,
    interactiveLiveViewUrl: session.interactiveLiveViewUrl,
  };
  const ended = session.status === "destroyed" ? (session.endedAt ?? new Date()) : undefined;
  return {
    success: true,
    id: session.id,
    status: ended ? "stopped" : "running",
    ...links,
    ...(ended ? { sessionDurationMs: ended.getTime() - session.createdAt.getTime(), creditsBilled: 0 } : {}),
  };
}

/**
 * `GET /v2/interact/{id}/replay` and `/replay/{pageId}`: the session is resolved as Firecrawl does (404, 403; a
 * pageId that is not 1–3 digits is its 400 "Invalid pageId." first), then 501: the emulator records nothing.
 */
export function handleReplay(
  context: ApiContext,
  request: IncomingMessage,
  sessionId: string,
  pageId: string | undefined,
): never {
  if (pageId !== undefined) {
    context.keys.teamOf(request);
    if (!/^\d{1,3}$/.test(pageId)) throw new EmulatorHttpError(400, "BAD_REQUEST", "Invalid pageId.");
  }
  ownSession(context, request, sessionId);
  throw new EmulatorHttpError(501, "unavailable", RECORDINGS_UNAVAILABLE);
}
