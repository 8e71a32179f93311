import type { LiveViewInput } from "firecrawl-interact/core";
import type { CdpConnection } from "../browser/cdp.js";
import { toCdpInput } from "./input.js";
import { INPUT_QUEUE_LIMITS, InputQueue, type InputQueueLimits } from "./input-queue.js";

/** Longest an input waits for Chromium's ack before the next input or a detach goes ahead. */
export const INPUT_ACK_WAIT_MS = 1000;

/** How a viewer whose input was refused (it floods faster than the page takes input) is closed. */
export const INPUT_OVERFLOW_CLOSE = {
  code: 1008,
  reason: `Live-view input overflow: more than ${INPUT_QUEUE_LIMITS.maxEntries} events waiting for the page`,
} as const;

/** The tab input goes to. */
export interface InputTarget {
  /** The CDP session of the tab on screen, undefined while none is attached (or the view has ended). */
  current(): string | undefined;
  /** Resolves once a pending attach or tab switch has finished. */
  settle(): Promise<void>;
}

/**
 * Replays a session's live-view input in the tab on screen, in arrival order, with one CDP `Input.*` command in flight
 * at a time, on its own: not tied to screencast frames or restarts. While one is in flight the rest waits in an
 * {@link InputQueue}, where moves collapse to the latest and wheels add up, so however fast input comes a click
 * waits behind at most one move.
 */
export class InputDispatcher {
  private readonly queue: InputQueue;
  private draining = false;
  private stopped = false;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: Pick<CdpConnection, "send">,
    private readonly target: InputTarget,
    limits: InputQueueLimits = INPUT_QUEUE_LIMITS,
  ) {
    this.queue = new InputQueue(limits);
  }

  /** Queues an input and dispatches it as soon as the page took the ones before; false when it was refused. */
  push(input: LiveViewInput): boolean {
    if (this.stopped) return true;
    if (!this.queue.push(input)) return false;
    void this.drain();
    return true;
  }

  /**
   * Resolves once the input in flight was handled (or {@link INPUT_ACK_WAIT_MS} passed): a detach waits for it,
   * since Chromium drops an event whose CDP session goes away before the renderer has handled it.
   */
  settled(): Promise<void> {
    return withinAckWait(this.inFlight);
  }

  /** Drops what waits and dispatches nothing more (the view ended). */
  stop(): void {
    this.stopped = true;
    this.queue.clear();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next && !this.stopped; next = this.queue.shift()) await this.dispatch(next);
    } finally {
      this.draining = false;
    }
  }

  private async dispatch(input: LiveViewInput): Promise<void> {
    let sessionId = this.target.current();
    // Right after "ready" the tab may still be attaching: input waits for it instead of being lost.
    if (sessionId === undefined) {
      await this.target.settle();
      sessionId = this.target.current();
    }
    if (sessionId === undefined || this.stopped) return;
    const command = toCdpInput(input);
    // Sent in the same tick as the session was read, so a detach that starts later waits for it (settled()).
    this.inFlight = this.connection.send(command.method, command.params, sessionId).catch(() => undefined);
    // A page blocked in a dialog never acks: the next input goes ahead after a while.
    await this.settled();
  }
}

async function withinAckWait(promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, INPUT_ACK_WAIT_MS)))]);
  clearTimeout(timer);
}
