import {
  encodeLiveViewFrame,
  type LiveViewFrameHeader,
  type LiveViewServerMessage,
  type LiveViewViewportMessage,
  parseLiveViewViewerMessage,
} from "firecrawl-interact/core";
import type { WebSocket } from "ws";
import type { ActiveTabTracker } from "../browser/active-tab.js";
import type { CdpConnection, CdpEvent } from "../browser/cdp.js";
import { WINDOW_SIZE } from "../browser/launch.js";
import { INPUT_OVERFLOW_CLOSE, InputDispatcher } from "./input-dispatcher.js";

/** Screencast settings: JPEG at quality 78, every frame; `maxWidth`/`maxHeight` come from the viewers' sizes. */
export const SCREENCAST = { format: "jpeg", quality: 78, everyNthFrame: 1 } as const;

// A viewer this far behind gets frames dropped instead of buffering without bound.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Fewest ms between two screencast restarts: a viewer flooding size or visibility changes cannot churn Chromium. */
export const MIN_RESTART_MS = 100;

const serverMessage = (message: LiveViewServerMessage): string => JSON.stringify(message);

/** The most pixels a screencast frame may have: the screencast's `maxWidth` and `maxHeight`. */
export interface ScreencastBounds {
  maxWidth: number;
  maxHeight: number;
}

/**
 * The screencast bounds that serve every visible viewer: its CSS size × DPR, the largest of them, capped at the page's
 * size (the emulator's pages render at DPR 1, so that is its full resolution). Undefined means the page's full size:
 * when a viewer never said its size (an older page, a bare socket client) or every viewer is at least as large.
 */
export function screencastBounds(
  viewports: readonly (Omit<LiveViewViewportMessage, "type"> | undefined)[],
  page: { width: number; height: number },
): ScreencastBounds | undefined {
  let width = 0;
  let height = 0;
  for (const viewport of viewports) {
    if (!viewport) return undefined;
    width = Math.max(width, Math.ceil(viewport.width * viewport.dpr));
    height = Math.max(height, Math.ceil(viewport.height * viewport.dpr));
  }
  if (width === 0 || (width >= page.width && height >= page.height)) return undefined;
  return { maxWidth: Math.min(width, page.width), maxHeight: Math.min(height, page.height) };
}

interface Viewer {
  socket: WebSocket;
  /** Its input goes to the page; false for read-only viewers, and for one closed for flooding. */
  interactive: boolean;
  /** The size it draws at, once it said; until then it counts as full size. */
  viewport: LiveViewViewportMessage | undefined;
  /** False while its document is hidden or its canvas off screen: it gets no frames. */
  visible: boolean;
}

interface Attached {
  targetId: string;
  sessionId: string;
  /** The parameters of the running screencast (as JSON), undefined while it is stopped (every viewer hidden). */
  streaming: string | undefined;
}

/**
 * Owns one session's screencast: started when the first viewer joins, moved to the active tab when it changes,
 * stopped when the last viewer leaves. Frames are acked as they arrive and fanned out to every visible viewer; input
 * from interactive viewers goes to the tab on screen through an {@link InputDispatcher}, independently of frames.
 *
 * The stream follows its viewers: it is sized to the largest visible one ({@link screencastBounds}) and restarted
 * when that changes; while every viewer is hidden the screencast is stopped (not merely left unacked), so Chromium
 * captures and encodes nothing, and a restart sends a fresh frame at once instead of one held since the pause.
 */
export class LiveViewHub {
  private readonly viewers = new Set<Viewer>();
  private attached: Attached | undefined;
  private switching: Promise<void> = Promise.resolve();
  /** Syncs queued or running on `switching`, and who waits for the one under way to finish. */
  private pendingSyncs = 0;
  private readonly syncWaiters: (() => void)[] = [];
  private seq = 0;
  private lastFrame: Uint8Array | undefined;
  /** The page's size in CSS pixels, from the last frame's metadata. */
  private page: { width: number; height: number } = { ...WINDOW_SIZE };
  private lastRestart = 0;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribeEvents: () => void;
  private readonly unsubscribeTabs: () => void;
  private closed = false;
  private endReason: string | undefined;
  private readonly input: InputDispatcher;

  constructor(
    private readonly connection: CdpConnection,
    private readonly tabs: ActiveTabTracker,
    /** Called for every accepted input event (it counts as session activity). */
    private readonly onInput: () => void,
  ) {
    this.input = new InputDispatcher(connection, {
      current: () => (this.closed ? undefined : this.attached?.sessionId),
      switched: () => this.nextSynced(),
    });
    this.unsubscribeEvents = connection.onEvent((event) => this.onCdpEvent(event));
    this.unsubscribeTabs = tabs.onChange(() => this.follow());
  }

  /** How many viewers are connected. */
  get viewerCount(): number {
    return this.viewers.size;
  }

  /**
   * Adds a viewer socket, sized to `viewport` when its URL said (else full size until it sends one); read-only
   * viewers' input is ignored here, whatever the page sends.
   */
  addViewer(socket: WebSocket, interactive: boolean, viewport?: LiveViewViewportMessage): void {
    // A viewer's network error must never take the emulator down; the close handler below cleans up.
    socket.on("error", () => socket.terminate());
    if (this.endReason !== undefined) {
      const reason = this.endReason;
      socket.send(serverMessage({ type: "ended", reason }), () => socket.close(4410, reason));
      return;
    }
    const viewer: Viewer = { socket, interactive, viewport, visible: true };
    this.viewers.add(viewer);
    socket.send(serverMessage({ type: "ready", interactive }));
    // A newcomer to a still page would otherwise wait for the next repaint.
    if (this.lastFrame) socket.send(this.lastFrame, { binary: true });
    socket.on("message", (data, isBinary) => {
      if (!isBinary) this.onViewerMessage(viewer, data.toString());
    });
    socket.on("close", () => {
      this.viewers.delete(viewer);
      // The last viewer gone detaches; otherwise the stream may shrink (or pause) to fit the ones left.
      this.follow();
    });
    this.follow();
  }

  /** Tells every viewer the session ended (`reason` is shown by the page) and closes their sockets. */
  end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.endReason = reason;
    clearTimeout(this.resyncTimer);
    this.input.stop();
    this.unsubscribeEvents();
    this.unsubscribeTabs();
    for (const viewer of this.viewers) {
      viewer.socket.send(serverMessage({ type: "ended", reason }), () => viewer.socket.close(4410, reason));
    }
    this.viewers.clear();
  }

  // Serialises attach/detach and screencast restarts so quick switches never leave two screencasts running.
  private follow(): void {
    this.pendingSyncs++;
    this.switching = this.switching
      .then(() => this.sync())
      .catch(() => undefined)
      .then(() => {
        this.pendingSyncs--;
        for (const resolve of this.syncWaiters.splice(0)) resolve();
      });
  }

  // Resolves when the sync under way ends (not the whole chain: a later detach may wait for the input waiting here).
  private nextSynced(): Promise<void> | undefined {
    if (this.pendingSyncs === 0 || this.closed) return undefined;
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  // A size or visibility change: applied at once, or MIN_RESTART_MS after the last restart if that was sooner.
  private resync(): void {
    if (this.resyncTimer || this.closed) return;
    const wait = this.lastRestart + MIN_RESTART_MS - Date.now();
    if (wait <= 0) {
      this.follow();
      return;
    }
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      this.follow();
    }, wait);
  }

  private async sync(): Promise<void> {
    const wanted = this.closed || this.viewers.size === 0 ? undefined : this.tabs.active;
    if (this.attached && this.attached.targetId === wanted) {
      await this.stream(this.attached);
      return;
    }
    const previous = this.attached;
    // Input sent while a tab was on screen goes to that tab before it is left.
    if (previous) await this.input.drained();
    this.attached = undefined;
    this.lastFrame = undefined;
    if (previous) {
      if (previous.streaming !== undefined) {
        await this.connection.send("Page.stopScreencast", {}, previous.sessionId).catch(() => undefined);
      }
      await this.connection.send("Target.detachFromTarget", { sessionId: previous.sessionId }).catch(() => undefined);
    }
    if (!wanted) return;
    const { sessionId } = (await this.connection.send("Target.attachToTarget", {
      targetId: wanted,
      flatten: true,
    })) as {
      sessionId: string;
    };
    const attached: Attached = { targetId: wanted, sessionId, streaming: undefined };
    this.attached = attached;
    await this.connection.send("Page.enable", {}, sessionId);
    await this.stream(attached);
    this.broadcastText({ type: "tab", targetId: wanted });
  }

  // Starts, restarts (new bounds) or stops (nobody visible) the screencast so it serves the viewers as they are now.
  private async stream(target: Attached): Promise<void> {
    const visible = [...this.viewers].filter((viewer) => viewer.visible);
    const bounds = screencastBounds(
      visible.map((viewer) => viewer.viewport),
      this.page,
    );
    const wanted = visible.length > 0 ? JSON.stringify({ ...SCREENCAST, ...bounds }) : undefined;
    if (target.streaming === wanted) return;
    this.lastRestart = Date.now();
    if (target.streaming !== undefined) {
      target.streaming = undefined;
      await this.connection.send("Page.stopScreencast", {}, target.sessionId).catch(() => undefined);
    }
    if (wanted === undefined || this.attached !== target) return;
    await this.connection.send("Page.startScreencast", JSON.parse(wanted), target.sessionId);
    target.streaming = wanted;
  }

  private onCdpEvent(event: CdpEvent): void {
    if (event.method !== "Page.screencastFrame" || !this.attached || event.sessionId !== this.attached.sessionId) {
      return;
    }
    const params = event.params as {
      data: string;
      sessionId: number;
      metadata: { deviceWidth: number; deviceHeight: number; offsetTop?: number };
    };
    // Ack first: Chromium sends the next frame only after this one is acknowledged.
    this.connection
      .send("Page.screencastFrameAck", { sessionId: params.sessionId }, event.sessionId)
      .catch(() => undefined);
    const { deviceWidth: width, deviceHeight: height, offsetTop } = params.metadata;
    if (width !== this.page.width || height !== this.page.height) {
      // The page was resized (e.g. setViewportSize): the cap of the bounds moves with it.
      this.page = { width, height };
      this.resync();
    }
    const header: LiveViewFrameHeader = { width, height, seq: ++this.seq, targetId: this.attached.targetId };
    if (offsetTop) header.offsetTop = offsetTop;
    const frame = encodeLiveViewFrame(header, Buffer.from(params.data, "base64"));
    this.lastFrame = frame;
    for (const viewer of this.viewers) {
      if (viewer.visible && viewer.socket.bufferedAmount < MAX_BUFFERED_BYTES)
        viewer.socket.send(frame, { binary: true });
    }
  }

  private broadcastText(message: LiveViewServerMessage): void {
    const text = serverMessage(message);
    for (const viewer of this.viewers) viewer.socket.send(text);
  }

  private onViewerMessage(viewer: Viewer, text: string): void {
    if (this.closed) return;
    const message = parseLiveViewViewerMessage(text);
    if (!message) return;
    // Size and visibility come from every viewer (read-only ones too) and are not activity of the session.
    if (message.type === "viewport") {
      viewer.viewport = message;
      this.resync();
      return;
    }
    if (message.type === "visibility") {
      if (viewer.visible === message.visible) return;
      viewer.visible = message.visible;
      // Back while others kept the stream going: the last frame now, rather than at the next repaint.
      if (message.visible && this.lastFrame && this.attached?.streaming) {
        viewer.socket.send(this.lastFrame, { binary: true });
      }
      this.resync();
      return;
    }
    if (!viewer.interactive) return;
    this.onInput();
    if (this.input.push(message)) return;
    // Refused: more is waiting than any page takes; the viewer floods, and what it sends until closed is ignored.
    viewer.interactive = false;
    viewer.socket.close(INPUT_OVERFLOW_CLOSE.code, INPUT_OVERFLOW_CLOSE.reason);
  }
}
