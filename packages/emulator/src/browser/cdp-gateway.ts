import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { CdpConnection } from "./cdp.js";
import { bridgeCdpSocket, MAX_CDP_MESSAGE_BYTES } from "./cdp-socket.js";

const PATH = /^\/devtools\/browser\/([A-Za-z0-9_-]{43})$/;

// Browsers are filed under a hash of their token, so looking one up tells nothing about a wrong token's bytes.
const keyOf = (token: string) => createHash("sha256").update(token).digest("hex");

function refuse(socket: Duplex, status: 403 | 404): void {
  const text = status === 403 ? "Forbidden" : "Not Found";
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/** A browser's CDP endpoint on the gateway; `close` takes it off (its sockets close with its connection). */
export interface GatewayEntry {
  /** `ws://127.0.0.1:<port>/devtools/browser/<token>`: CDP for whoever holds it. */
  readonly url: string;
  close(): void;
}

/**
 * The CDP endpoint of the emulator's browsers for its own clients (Playwright in the emulator, the node, python and
 * bash runners): a WebSocket server on loopback where each browser is reached only at a path holding its random
 * token, each socket getting its own {@link CdpChannel} on the browser's one pipe connection. It answers nothing
 * else (no `/json` discovery), refuses a wrong Host (DNS rebinding) and any request a web page makes (they carry an
 * `Origin`). Listens from the first browser on, on a port of its own.
 */
export class CdpGateway {
  private readonly browsers = new Map<string, CdpConnection>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_CDP_MESSAGE_BYTES,
  });
  private server: Server | undefined;
  private listening: Promise<string> | undefined;

  /** Serves a browser's connection at a fresh token; resolves with its URL. */
  async expose(connection: CdpConnection): Promise<GatewayEntry> {
    const authority = await this.listen();
    const token = randomBytes(32).toString("base64url");
    const key = keyOf(token);
    this.browsers.set(key, connection);
    return {
      url: `ws://${authority}/devtools/browser/${token}`,
      close: () => {
        this.browsers.delete(key);
      },
    };
  }

  /** Closes every socket and stops listening. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<string> {
    this.listening ??= new Promise((resolve, reject) => {
      const server = createServer((_request, response) => {
        response.writeHead(404, { "Content-Length": "0", Connection: "close" }).end();
      });
      server.on("upgrade", (request, socket, head) => this.upgrade(request, socket, head));
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`);
      });
      this.server = server;
    });
    return this.listening;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address || request.headers.host !== `127.0.0.1:${address.port}` || request.headers.origin !== undefined) {
      refuse(socket, 403);
      return;
    }
    const token = PATH.exec(request.url ?? "")?.[1];
    const connection = token === undefined ? undefined : this.browsers.get(keyOf(token));
    if (!connection || connection.isClosed) {
      refuse(socket, 404);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (client) => {
      client.on("error", () => client.terminate());
      bridgeCdpSocket(client, connection.openChannel());
    });
  }
}
