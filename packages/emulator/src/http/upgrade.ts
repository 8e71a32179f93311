import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { parseLiveViewViewportParams } from "firecrawl-interact/core";
import { WebSocketServer } from "ws";
import { MAX_CDP_MESSAGE_BYTES, proxyCdp } from "../sessions/cdp-proxy.js";
import type { SessionRegistry } from "../sessions/registry.js";
import { type Session, tokenMatches } from "../sessions/session.js";

/** Which WebSocket a path asks for: the CDP proxy or a live view, and of which session. */
export type SocketRoute = { kind: "cdp" | "live"; sessionId: string };

/** Parses `/cdp/<id>` and `/live/<id>` paths; anything else is null. */
export function parseSocketRoute(pathname: string): SocketRoute | null {
  const found = /^\/(cdp|live)\/([A-Za-z0-9_-]{1,128})\/?$/.exec(pathname);
  if (!found) return null;
  return { kind: found[1] as "cdp" | "live", sessionId: found[2] as string };
}

/** Outcome of checking a token-guarded URL: the session, or the HTTP status to refuse with. */
export type TokenCheck = { session: Session } | { status: 403 | 404 };

/** Finds the session of a CDP or live-view URL and checks its token; live views also need streamWebView. */
export function checkSocketAccess(registry: SessionRegistry, route: SocketRoute, token: string | null): TokenCheck {
  const session = registry.get(route.sessionId);
  if (!session || (route.kind === "live" && !session.streamWebView)) return { status: 404 };
  const expected = route.kind === "cdp" ? session.cdpToken : session.liveToken;
  return tokenMatches(expected, token) ? { session } : { status: 403 };
}

const STATUS_TEXT: Record<number, string> = { 403: "Forbidden", 404: "Not Found", 410: "Gone" };

function refuse(socket: Duplex, status: number): void {
  const body = JSON.stringify({ success: false, error: STATUS_TEXT[status] ?? "Refused" });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Refused"}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Accepts WebSocket upgrades for the CDP proxy and live views; refuses wrong tokens and unknown sessions. */
export class UpgradeHandler {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_CDP_MESSAGE_BYTES,
  });

  constructor(
    private readonly registry: SessionRegistry,
    /** The Host check of the HTTP routes, applied to upgrades too. */
    private readonly hostAllowed: (host: string | undefined) => boolean,
  ) {}

  /** Handles one `upgrade` event of the HTTP server. */
  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const route = parseSocketRoute(url.pathname);
    if (!this.hostAllowed(request.headers.host)) {
      refuse(socket, 403);
      return;
    }
    if (!route) {
      refuse(socket, 404);
      return;
    }
    const access = checkSocketAccess(this.registry, route, url.searchParams.get("token"));
    if ("status" in access) {
      refuse(socket, access.status);
      return;
    }
    const { session } = access;
    // A CDP client of a dead session gets 410; a live view is told why the session ended instead.
    if (route.kind === "cdp" && session.status === "destroyed") {
      refuse(socket, 410);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (client) => {
      client.on("error", () => client.terminate());
      if (route.kind === "cdp") {
        proxyCdp(session, client);
        return;
      }
      if (session.status === "destroyed") {
        client.send(JSON.stringify({ type: "ended", reason: session.endReason }), () => client.close(4410, "ended"));
        return;
      }
      // The page puts its size in the URL too (w, h, dpr), so its very first frame is already sized to it.
      const viewport = parseLiveViewViewportParams(url.searchParams);
      session.liveView().addViewer(client, url.searchParams.get("interactive") === "true", viewport);
    });
  }

  /** Closes every socket this handler accepted. */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
