import { WebSocket } from "ws";

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

interface Pending {
  method: string;
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** A minimal browser-level CDP connection with flattened target sessions (the emulator's own control channel). */
export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => this.onMessage(data.toString()));
    socket.on("close", () => this.onClose());
    socket.on("error", () => this.onClose());
  }

  /** Opens a connection to a browser's DevTools WebSocket endpoint. */
  static connect(wsEndpoint: string): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsEndpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      socket.once("open", () => {
        socket.off("error", reject);
        resolve(new CdpConnection(socket));
      });
      socket.once("error", reject);
    });
  }

  /** True once the socket closed; every later command rejects. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a command (to a target when sessionId is given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new CdpError(method, "connection closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.socket.send(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }));
    });
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the socket and rejects pending commands. */
  close(): void {
    this.socket.close();
    this.onClose();
  }

  private onMessage(text: string): void {
    let message: {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
      sessionId?: string;
      result?: Record<string, unknown>;
      error?: { message?: string };
    };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error) pending.reject(new CdpError(pending.method, message.error.message ?? "failed"));
      else pending.resolve(message.result ?? {});
      return;
    }
    if (message.method) {
      const event: CdpEvent = { method: message.method, params: message.params ?? {} };
      if (message.sessionId) event.sessionId = message.sessionId;
      for (const listener of this.listeners) listener(event);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new CdpError(pending.method, "connection closed"));
    this.pending.clear();
  }
}
