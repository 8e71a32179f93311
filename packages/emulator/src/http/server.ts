import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { errorAnswer } from "firecrawl-interact/core";
import { sendSocketError } from "./json.js";

/** Answers what Node's HTTP parser could not read (it never reaches the routes): 431, 408 or 400, then closes. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  if (error.code === "HPE_HEADER_OVERFLOW") {
    sendSocketError(socket, errorAnswer(431, "BAD_REQUEST", "Request headers are too large"));
  } else if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    sendSocketError(socket, errorAnswer(408, "timeout", "Request timed out"));
  } else {
    sendSocketError(socket, errorAnswer(400, "BAD_REQUEST", "Malformed HTTP request"));
  }
}

/**
 * The emulator's HTTP server: its request listener, its upgrade handler, and an answer for bytes that are not a
 * request. Both handlers must answer every failure themselves (the routes and `UpgradeHandler` do).
 */
export function createHttpServer(
  listener: RequestListener,
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Server {
  const server = createServer(listener);
  server.on("upgrade", onUpgrade);
  server.on("clientError", answerClientError);
  return server;
}
