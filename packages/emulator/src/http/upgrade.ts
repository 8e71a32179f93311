import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { parseLiveViewViewportParams } from "firecrawl-interact/core";
import { WebSocketServer } from "ws";
import { EmulatorHttpError, errorMessage, sessionDestroyed } from "../errors.js";
import { MAX_CDP_MESSAGE_BYTES, proxyCdp } from "../sessions/cdp-proxy.js";
import type { SessionRegistry } from "../sessions/registry.js";
import { type Session, tokenMatches } from "../sessions/session.js";
import { admitRequest, type RequestGuards } from "./admission.js";
import { sendSocketError } from "./json.js";

/** Which WebSocket a path asks for: the CDP proxy or a live view, and of which session. */
export type SocketRoute = { kind: "cdp" | "live"; sessionId: string };

/** Parses `/cdp/<id>` and `/live/<id>` paths; anything else is null. */
export function parseSocketRoute(pathname: string): SocketRoute | null {
  const found = /^\/(cdp|live)\/([A-Za-z0-9_-]{1,128})\/?$/.exec(pathname);
  if (!found) return null;
  return { kind: found[1] as "cdp" | "live", sessionId: found[2] as string };
}

/**
 * Outcome of checking a token-guarded URL: the session and whether the token grants input (only the interactive
 * live view's does), or the HTTP status to refuse with.
 */
export type TokenCheck = { session: Session; interactive: boolean } | { status: 403 | 404 };

/** Finds the session of a CDP or live-view URL and checks its token; live views also need streamWebView. */
export function checkSocketAccess(registry: SessionRegistry, route: SocketRoute, token: string | null): TokenCheck {
  const session = registry.get(route.sessionId);
  if (!session || (route.kind === "live" && !session.streamWebView)) return { status: 404 };
  if (route.kind === "cdp")
    return tokenMatches(session.cdpToken, token) ? { session, interactive: false } : { status: 403 };
  // The token alone decides: `interactive=true` on the read-only URL grants nothing.
  if (tokenMatches(session.interactiveLiveToken, token)) return { session, interactive: true };
  return tokenMatches(session.liveToken, token) ? { session, interactive: false } : { status: 403 };
}

/** The answer of a refused token check. */
export const tokenRefusal = (status: 403 | 404): EmulatorHttpError =>
  status === 403
    ? new EmulatorHttpError(403, "forbidden", "Invalid token")
    : new EmulatorHttpError(404, "not_found", "Not found");

/** Accepts WebSocket upgrades for the CDP proxy and live views; refuses wrong tokens and unknown sessions. */
export class UpgradeHandler {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_CDP_MESSAGE_BYTES,
  });

  constructor(
    private readonly registry: SessionRegistry,
    /** The Host and Origin checks of the HTTP routes, applied to upgrades too. */
    private readonly guards: RequestGuards,
  ) {}

  /**
   * Handles one `upgrade` event of the HTTP server. Nothing it is sent can throw out of it: a refusal is an HTTP
   * answer on the socket, and a failure after the handshake closes the WebSocket.
   */
  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    try {
      this.accept(request, socket, head);
    } catch (error) {
      sendSocketError(
        socket,
        (error instanceof EmulatorHttpError ? error : new EmulatorHttpError(500, "internal_error", errorMessage(error)))
          .answer,
      );
    }
  }

  // Admits the upgrade (target, Host, Origin, route, token) or throws the answer to refuse it with.
  private accept(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = admitRequest(this.guards, request);
    const route = parseSocketRoute(url.pathname);
    if (!route) throw new EmulatorHttpError(404, "not_found", "Not found");
    const access = checkSocketAccess(this.registry, route, url.searchParams.get("token"));
    if ("status" in access) throw tokenRefusal(access.status);
    const { session, interactive } = access;
    // A CDP client of a dead session gets 410; a live view is told why the session ended instead.
    if (route.kind === "cdp" && session.status === "destroyed") throw sessionDestroyed(session.endReason);
    // The page puts its size in the URL too (w, h, dpr), so its very first frame is already sized to it.
    const viewport = route.kind === "live" ? parseLiveViewViewportParams(url.searchParams) : undefined;
    this.wss.handleUpgrade(request, socket, head, (client) => {
      client.on("error", () => client.terminate());
      try {
        if (route.kind === "cdp") proxyCdp(session, client);
        else if (session.status === "destroyed") {
          client.send(JSON.stringify({ type: "ended", reason: session.endReason }), () => client.close(4410, "ended"));
        } else session.liveView().addViewer(client, interactive, viewport);
      } catch {
        // Past the handshake there is no HTTP answer left to give: the socket closes instead.
        client.terminate();
      }
    });
  }

  /** Closes every socket this handler accepted. */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
