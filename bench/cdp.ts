/**
 * The bench's own CDP client, one for ours (a session's cdpUrl) and the reference (a raw Chromium's endpoint).
 * A bare `ws` client rather than playwright-core's connectOverCDP: the emulator drives its browsers over a bare CDP
 * socket too, and Playwright's attach handshake would add time to the reference alone.
 */
import { WebSocket } from "ws";

/** A CDP event: method, params and the flattened session it came from (absent for browser-level events). */
export interface CdpEvent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId?: string;
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message?: string };
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: Record<string, unknown>) => void;
  readonly reject: (error: Error) => void;
}

/** A browser-level CDP connection with flattened target sessions. */
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

  /** Opens a connection to a DevTools WebSocket endpoint. */
  static connect(wsEndpoint: string): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      // Frames are large base64 messages: no compression, and a payload cap no frame reaches.
      const socket = new WebSocket(wsEndpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      socket.once("open", () => {
        socket.off("error", reject);
        resolve(new CdpConnection(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Sends a command (to a target when sessionId is given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error(`${method}: connection closed`));
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
    let message: CdpMessage;
    try {
      message = JSON.parse(text) as CdpMessage;
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message ?? "failed"}`));
      else pending.resolve(message.result ?? {});
      return;
    }
    if (!message.method) return;
    const event: CdpEvent = message.sessionId
      ? { method: message.method, params: message.params ?? {}, sessionId: message.sessionId }
      : { method: message.method, params: message.params ?? {} };
    for (const listener of this.listeners) listener(event);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new Error(`${pending.method}: connection closed`));
    this.pending.clear();
  }
}

/** Resolves with the next event of that method (optionally from one session); rejects after timeoutMs. */
export function nextEvent(cdp: CdpConnection, method: string, timeoutMs: number, sessionId?: string) {
  return new Promise<CdpEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${method} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = cdp.onEvent((event) => {
      if (event.method !== method || (sessionId && event.sessionId !== sessionId)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** Attaches (flattened) to the browser's first page target and returns the CDP session id. */
export async function attachFirstPage(cdp: CdpConnection): Promise<string> {
  const { targetInfos } = (await cdp.send("Target.getTargets")) as {
    targetInfos: { targetId: string; type: string }[];
  };
  const page = targetInfos.find((target) => target.type === "page");
  if (!page) throw new Error("the browser has no page target");
  const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId: page.targetId, flatten: true })) as {
    sessionId: string;
  };
  return sessionId;
}

/** Enables the Page domain, navigates the attached page to url and waits for its load event. */
export async function navigatePage(cdp: CdpConnection, sessionId: string, url: string, timeoutMs: number) {
  await cdp.send("Page.enable", {}, sessionId);
  const loaded = nextEvent(cdp, "Page.loadEventFired", timeoutMs, sessionId);
  await cdp.send("Page.navigate", { url }, sessionId);
  await loaded;
}
