import { type CdpFrame, reframe } from "./cdp-frame.js";

/** One CDP message as it travels: a command, its answer or an event. */
export interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { code?: number; message?: string };
}

/** What a {@link CdpChannel} needs from the connection it rides on. */
export interface ChannelUplink {
  /** Sends a command of the channel's own (attach, detach) and resolves with its result. */
  send(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<Record<string, unknown>>;
  /** Sends a client's command; its answer comes back through {@link CdpChannel.answer} with `clientId`. */
  forward(channel: CdpChannel, clientId: number, command: CdpMessage): void;
  /** Routes the messages of a flattened session to the channel. */
  claim(sessionId: string, channel: CdpChannel): void;
  /** Stops routing a flattened session. */
  release(sessionId: string): void;
  /** Forgets the channel and its commands in flight. */
  detach(channel: CdpChannel): void;
}

// Chromium's own error codes for a message it cannot take.
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const SESSION_NOT_FOUND = -32001;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * One CDP client's view of a browser whose only real connection the emulator holds: the client gets a browser-level
 * session of its own (`Target.attachToBrowserTarget`), so its discovery, auto-attach and sessions are its own, as if
 * it had connected to the browser directly. Its commands without a `sessionId` go to that session; with one, only to
 * a session it opened itself (any other is "not found", as the browser answers). It receives the answers to its
 * commands and the events of its sessions, never those of the emulator or of another client.
 */
export class CdpChannel {
  private browserSession: string | undefined;
  private readonly queued: string[] = [];
  private readonly owned = new Set<string>();
  private readonly listeners = new Set<(text: string) => void>();
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly uplink: ChannelUplink) {
    uplink.send("Target.attachToBrowserTarget").then(
      (result) => this.ready(result.sessionId),
      () => this.close(),
    );
  }

  /** True once the channel closed (by its client, or because the browser went away). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Takes one message of the client (a CDP command as JSON text). */
  send(text: string): void {
    if (this.closed) return;
    if (this.browserSession === undefined) {
      this.queued.push(text);
      return;
    }
    let command: unknown;
    try {
      command = JSON.parse(text);
    } catch {
      this.emit({ error: { code: PARSE_ERROR, message: "Message must be a valid JSON" } });
      return;
    }
    if (!isObject(command) || !Number.isSafeInteger(command.id) || typeof command.method !== "string") {
      const id = isObject(command) && Number.isSafeInteger(command.id) ? { id: command.id as number } : {};
      this.emit({ ...id, error: { code: INVALID_REQUEST, message: "Message must have an integer id and a method" } });
      return;
    }
    const sessionId = command.sessionId ?? this.browserSession;
    const id = command.id as number;
    if (typeof sessionId !== "string" || !(sessionId === this.browserSession || this.owned.has(sessionId))) {
      this.emit({ id, error: { code: SESSION_NOT_FOUND, message: "Session with given id not found." } });
      return;
    }
    this.uplink.forward(this, id, { ...(command as CdpMessage), sessionId });
  }

  /** Calls `listener` with every message for the client (JSON text); returns the unsubscribe function. */
  onMessage(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` once the channel closes. */
  onClose(listener: () => void): void {
    if (this.closed) queueMicrotask(listener);
    else this.closeListeners.add(listener);
  }

  /** The connection's answer to a command of this client, given back under the client's own id. */
  answer(clientId: number, message: CdpMessage): void {
    if (this.closed) return;
    // Target.attachToTarget (flatten) and attachToBrowserTarget answer with the session they opened.
    const opened = message.result?.sessionId;
    if (typeof opened === "string") this.claim(opened);
    this.emit({ ...message, id: clientId });
  }

  /** {@link answer} for a message left as text, read by its frame: one that opens no session. */
  answerText(clientId: number, text: string, frame: CdpFrame): void {
    if (this.closed) return;
    this.emitText(reframe(text, frame, { id: clientId, dropSession: frame.sessionId === this.browserSession }));
  }

  /** {@link event} for a message left as text: one that attaches or detaches no session. */
  eventText(text: string, frame: CdpFrame): void {
    if (this.closed) return;
    this.emitText(reframe(text, frame, { dropSession: frame.sessionId === this.browserSession }));
  }

  /** An event of one of this client's sessions. */
  event(message: CdpMessage): void {
    if (this.closed) return;
    const child = message.params?.sessionId;
    if (message.method === "Target.attachedToTarget" && typeof child === "string") this.claim(child);
    if (message.method === "Target.detachedFromTarget" && typeof child === "string") this.unclaim(child);
    this.emit(message);
  }

  /** Detaches the client's browser session (and with it every session it opened). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queued.length = 0;
    for (const sessionId of this.owned) this.uplink.release(sessionId);
    this.owned.clear();
    this.uplink.detach(this);
    if (this.browserSession !== undefined) {
      this.uplink.release(this.browserSession);
      this.uplink.send("Target.detachFromTarget", { sessionId: this.browserSession }).catch(() => undefined);
    }
    this.listeners.clear();
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }

  private ready(sessionId: unknown): void {
    if (typeof sessionId !== "string") {
      this.close();
      return;
    }
    this.browserSession = sessionId;
    if (this.closed) {
      this.uplink.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
      return;
    }
    this.uplink.claim(sessionId, this);
    for (const text of this.queued.splice(0)) this.send(text);
  }

  private claim(sessionId: string): void {
    this.owned.add(sessionId);
    this.uplink.claim(sessionId, this);
  }

  private unclaim(sessionId: string): void {
    this.owned.delete(sessionId);
    this.uplink.release(sessionId);
  }

  // The client's browser session is its root: its messages reach the client without a sessionId.
  private emit(message: CdpMessage): void {
    const { sessionId, ...rest } = message;
    this.emitText(JSON.stringify(sessionId === undefined || sessionId === this.browserSession ? rest : message));
  }

  private emitText(text: string): void {
    for (const listener of this.listeners) listener(text);
  }
}
