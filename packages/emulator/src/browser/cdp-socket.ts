import { type RawData, WebSocket } from "ws";
import type { CdpChannel } from "./cdp-channel.js";

/** Largest single CDP message a proxied socket takes (screenshots and traces can be big). */
export const MAX_CDP_MESSAGE_BYTES = 256 * 1024 * 1024;

const asText = (data: RawData): string => {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString("utf8");
};

/** What a bridge lets its owner see (e.g. to follow tabs or count activity). */
export interface BridgeHooks {
  /** Each client message, before the browser gets it. */
  fromClient?: (text: string) => void;
  /** Each message for the client, before it is sent. */
  fromBrowser?: (text: string) => void;
}

/**
 * Joins a client's CDP WebSocket to a channel, both ways. The client closing closes the channel; the channel
 * closing (the browser went away) closes the socket with 1011. Returns a function that closes both with a code.
 */
export function bridgeCdpSocket(
  socket: WebSocket,
  channel: CdpChannel,
  hooks: BridgeHooks = {},
): (code?: number, reason?: string) => void {
  const closeBoth = (code = 1000, reason = "") => {
    // The socket first: the channel's own close would otherwise answer for it with 1011.
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(code, reason);
    channel.close();
  };
  socket.on("message", (data) => {
    const text = asText(data);
    hooks.fromClient?.(text);
    channel.send(text);
  });
  channel.onMessage((text) => {
    hooks.fromBrowser?.(text);
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
  });
  channel.onClose(() => closeBoth(1011, "browser connection closed"));
  socket.on("close", () => closeBoth());
  socket.on("error", () => closeBoth());
  return closeBoth;
}
