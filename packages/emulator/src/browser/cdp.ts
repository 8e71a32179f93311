import { CdpChannel, type CdpMessage, type ChannelUplink } from "./cdp-channel.js";
import { type CdpFrame, peekFrame } from "./cdp-frame.js";
import type { CdpTransport } from "./pipe-transport.js";

/** A CDP event: method, params and the flattened session it came from (absent for browser-level events). */
export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

/** An error answer of a CDP command. */
export class CdpError extends Error {
  override readonly name = "CdpError";
  constructor(
    /** The command that failed. */
    readonly method: string,
    message: string,
  ) {
    super(`${method}: ${message}`);
  }
}

// Commands whose answer opens a session, and events that attach or detach one: the channel reads them parsed.
const OPENS_SESSION = new Set(["Target.attachToTarget", "Target.attachToBrowserTarget"]);
const SESSION_EVENTS = new Set(["Target.attachedToTarget", "Target.detachedFromTarget"]);

interface Pending {
  method: string;
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/**
 * The emulator's one CDP connection to a browser (over its DevTools pipe), with flattened target sessions. Other
 * clients get a {@link CdpChannel} each: their own browser-level session on this connection, their command ids
 * mapped to the connection's, and only the messages of the sessions they opened.
 */
export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  // Connection id of a channel's command → the channel and the id its client gave.
  private readonly forwarded = new Map<number, { channel: CdpChannel; clientId: number; method: string }>();
  // Flattened session id → the channel that opened it.
  private readonly owners = new Map<string, CdpChannel>();
  private readonly channels = new Set<CdpChannel>();
  private readonly uplink: ChannelUplink;
  private closed = false;

  constructor(private readonly transport: CdpTransport) {
    this.uplink = {
      send: (method, params, sessionId) => this.send(method, params, sessionId),
      forward: (channel, clientId, command) => this.forward(channel, clientId, command),
      claim: (sessionId, channel) => this.owners.set(sessionId, channel),
      release: (sessionId) => this.owners.delete(sessionId),
      detach: (channel) => this.detach(channel),
    };
    transport.start({ message: (text) => this.onMessage(text), close: () => this.onClose() });
  }

  /** True once the transport closed; every later command rejects. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a command (to a target when sessionId is given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new CdpError(method, "connection closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.transport.send(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }));
    });
  }

  /** Subscribes to every event of the emulator's own sessions; returns the unsubscribe function. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens a channel for one more CDP client (a proxied WebSocket); closed with the connection at the latest. */
  openChannel(): CdpChannel {
    const channel = new CdpChannel(this.uplink);
    if (this.closed) channel.close();
    else this.channels.add(channel);
    return channel;
  }

  /** Closes the transport, every channel, and rejects pending commands. */
  close(): void {
    this.transport.close();
    this.onClose();
  }

  private forward(channel: CdpChannel, clientId: number, command: CdpMessage): void {
    if (this.closed) return;
    const id = this.nextId++;
    this.forwarded.set(id, { channel, clientId, method: command.method ?? "" });
    this.transport.send(JSON.stringify({ ...command, id }));
  }

  private detach(channel: CdpChannel): void {
    this.channels.delete(channel);
    for (const [id, entry] of this.forwarded) if (entry.channel === channel) this.forwarded.delete(id);
  }

  private onMessage(text: string): void {
    const frame = peekFrame(text);
    if (frame && this.routeText(text, frame)) return;
    let message: CdpMessage;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.id === "number") {
      this.onAnswer(message.id, message);
      return;
    }
    if (typeof message.method !== "string") return;
    const owner = typeof message.sessionId === "string" ? this.owners.get(message.sessionId) : undefined;
    if (owner) {
      owner.event(message);
      return;
    }
    const event: CdpEvent = { method: message.method, params: message.params ?? {} };
    if (typeof message.sessionId === "string") event.sessionId = message.sessionId;
    for (const listener of this.listeners) listener(event);
  }

  // Passes a channel's message on as text, so a large one (a screenshot) is not parsed and written again; false
  // when it is not a channel's, or opens or closes a session.
  private routeText(text: string, frame: CdpFrame): boolean {
    if (frame.id !== undefined) {
      const forwarded = this.forwarded.get(frame.id);
      if (!forwarded || OPENS_SESSION.has(forwarded.method)) return false;
      this.forwarded.delete(frame.id);
      forwarded.channel.answerText(forwarded.clientId, text, frame);
      return true;
    }
    const owner = frame.sessionId === undefined ? undefined : this.owners.get(frame.sessionId);
    if (!owner || SESSION_EVENTS.has(frame.method ?? "")) return false;
    owner.eventText(text, frame);
    return true;
  }

  private onAnswer(id: number, message: CdpMessage): void {
    const forwarded = this.forwarded.get(id);
    if (forwarded) {
      this.forwarded.delete(id);
      forwarded.channel.answer(forwarded.clientId, message);
      return;
    }
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (message.error) pending.reject(new CdpError(pending.method, message.error.message ?? "failed"));
    else pending.resolve(message.result ?? {});
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new CdpError(pending.method, "connection closed"));
    this.pending.clear();
    for (const channel of [...this.channels]) channel.close();
    this.forwarded.clear();
    this.owners.clear();
  }
}
