import { encodeLiveViewFrame, type LiveViewServerMessage, parseLiveViewInput } from "firecrawl-interact/spec";
import type { WebSocket } from "ws";
import type { CdpConnection, CdpEvent } from "./cdp.js";
import { toCdpInput } from "./live-view-input.js";
import type { ActiveTabTracker } from "./targets.js";

/** Screencast settings: JPEG at quality 78, every frame. */
export const SCREENCAST = { format: "jpeg", quality: 78, everyNthFrame: 1 } as const;

// A viewer this far behind gets frames dropped instead of buffering without bound.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Longest a queued input waits for Chromium's ack before the next input or tab switch goes ahead. */
const INPUT_ACK_WAIT_MS = 1000;

const serverMessage = (message: LiveViewServerMessage): string => JSON.stringify(message);

interface Viewer {
  socket: WebSocket;
  interactive: boolean;
}

/**
 * Owns one session's screencast: started when the first viewer joins, moved to the active tab when it changes,
 * stopped when the last viewer leaves. Frames are acked as they arrive and fanned out to every viewer; input from
 * interactive viewers is dispatched to the tab on screen.
 */
export class LiveViewHub {
  private readonly viewers = new Set<Viewer>();
  private attached: { targetId: string; sessionId: string } | undefined;
  private switching: Promise<void> = Promise.resolve();
  private seq = 0;
  private lastFrame: Uint8Array | undefined;
  private readonly unsubscribeEvents: () => void;
  private readonly unsubscribeTabs: () => void;
  private closed = false;
  private endReason: string | undefined;

  constructor(
    private readonly connection: CdpConnection,
    private readonly tabs: ActiveTabTracker,
    /** Called for every accepted input event (it counts as session activity). */
    private readonly onInput: () => void,
  ) {
    this.unsubscribeEvents = connection.onEvent((event) => this.onCdpEvent(event));
    this.unsubscribeTabs = tabs.onChange(() => this.follow());
  }

  /** How many viewers are connected. */
  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Adds a viewer socket; read-only viewers' input is ignored here, whatever the page sends. */
  addViewer(socket: WebSocket, interactive: boolean): void {
    // A viewer's network error must never take the emulator down; the close handler below cleans up.
    socket.on("error", () => socket.terminate());
    if (this.endReason !== undefined) {
      const reason = this.endReason;
      socket.send(serverMessage({ type: "ended", reason }), () => socket.close(4410, reason));
      return;
    }
    const viewer: Viewer = { socket, interactive };
    this.viewers.add(viewer);
    socket.send(serverMessage({ type: "ready", interactive }));
    // A newcomer to a still page would otherwise wait for the next repaint.
    if (this.lastFrame) socket.send(this.lastFrame, { binary: true });
    socket.on("message", (data, isBinary) => {
      if (!isBinary) this.onViewerMessage(viewer, data.toString());
    });
    socket.on("close", () => {
      this.viewers.delete(viewer);
      if (this.viewers.size === 0) this.follow();
    });
    this.follow();
  }

  /** Tells every viewer the session ended (`reason` is shown by the page) and closes their sockets. */
  end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.endReason = reason;
    this.unsubscribeEvents();
    this.unsubscribeTabs();
    for (const viewer of this.viewers) {
      viewer.socket.send(serverMessage({ type: "ended", reason }), () => viewer.socket.close(4410, reason));
    }
    this.viewers.clear();
  }

  // Serialises attach/detach so quick tab switches never leave two screencasts running.
  private follow(): void {
    this.switching = this.switching.then(() => this.sync()).catch(() => undefined);
  }

  private async sync(): Promise<void> {
    const wanted = this.closed || this.viewers.size === 0 ? undefined : this.tabs.active;
    if (this.attached?.targetId === wanted) return;
    const previous = this.attached;
    this.attached = undefined;
    this.lastFrame = undefined;
    if (previous) {
      await this.connection.send("Page.stopScreencast", {}, previous.sessionId).catch(() => undefined);
      await this.connection.send("Target.detachFromTarget", { sessionId: previous.sessionId }).catch(() => undefined);
    }
    if (!wanted) return;
    const { sessionId } = (await this.connection.send("Target.attachToTarget", {
      targetId: wanted,
      flatten: true,
    })) as {
      sessionId: string;
    };
    this.attached = { targetId: wanted, sessionId };
    await this.connection.send("Page.enable", {}, sessionId);
    await this.connection.send("Page.startScreencast", SCREENCAST, sessionId);
    this.broadcastText({ type: "tab", targetId: wanted });
  }

  private onCdpEvent(event: CdpEvent): void {
    if (event.method !== "Page.screencastFrame" || !this.attached || event.sessionId !== this.attached.sessionId) {
      return;
    }
    const params = event.params as {
      data: string;
      sessionId: number;
      metadata: { deviceWidth: number; deviceHeight: number };
    };
    // Ack first: Chromium sends the next frame only after this one is acknowledged.
    this.connection
      .send("Page.screencastFrameAck", { sessionId: params.sessionId }, event.sessionId)
      .catch(() => undefined);
    const frame = encodeLiveViewFrame(
      {
        width: params.metadata.deviceWidth,
        height: params.metadata.deviceHeight,
        seq: ++this.seq,
        targetId: this.attached.targetId,
      },
      Buffer.from(params.data, "base64"),
    );
    this.lastFrame = frame;
    for (const viewer of this.viewers) {
      if (viewer.socket.bufferedAmount < MAX_BUFFERED_BYTES) viewer.socket.send(frame, { binary: true });
    }
  }

  private broadcastText(message: LiveViewServerMessage): void {
    const text = serverMessage(message);
    for (const viewer of this.viewers) viewer.socket.send(text);
  }

  private onViewerMessage(viewer: Viewer, text: string): void {
    if (!viewer.interactive || this.closed) return;
    const input = parseLiveViewInput(text);
    if (!input) return;
    this.onInput();
    const command = toCdpInput(input);
    // Input waits for a pending attach (right after "ready") instead of being lost, and a detach waits for the
    // input's ack: Chromium drops an event whose CDP session goes away before the renderer has handled it.
    this.switching = this.switching.then(async () => {
      const target = this.attached;
      if (!target || this.closed) return;
      const dispatched = this.connection.send(command.method, command.params, target.sessionId).catch(() => undefined);
      // A page blocked in a dialog never acks: don't let it stall tab switches for long.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([dispatched, new Promise((resolve) => (timer = setTimeout(resolve, INPUT_ACK_WAIT_MS)))]);
      clearTimeout(timer);
    });
  }
}
