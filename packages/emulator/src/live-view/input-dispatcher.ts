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
  /** Resolves when the attach or tab switch under way has finished; undefined when none is. */
  switched(): Promise<void> | undefined;
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
  /** An input is taken from the queue and not done with yet. */
  private inHand = false;
  /** Inputs done with: acked, given up on after INPUT_ACK_WAIT_MS, or dropped for want of a tab. */
  private done = 0;
  /** The input in hand waits for a tab to be attached. */
  private waitingForTab = false;
  private readonly drainWaiters = new Set<{ upTo: number; resolve: () => void }>();

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
   * Resolves once every input accepted so far is done with (acked, or {@link INPUT_ACK_WAIT_MS} passed); at once
   * while input waits for a tab. A detach waits for it: input sent while a tab was on screen goes to that tab, and
   * Chromium drops an event whose CDP session goes away before the renderer has handled it. Input accepted later
   * does not hold it up, however fast it comes.
   */
  drained(): Promise<void> {
    const upTo = this.done + this.queue.length + (this.inHand ? 1 : 0);
    if (this.isDrained(upTo)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.add({ upTo, resolve }));
  }

  /** Drops what waits and dispatches nothing more (the view ended). */
  stop(): void {
    this.stopped = true;
    this.queue.clear();
    this.wakeDrainWaiters();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next && !this.stopped; next = this.queue.shift()) {
        this.inHand = true;
        await this.dispatch(next);
        // In the same tick as the next shift, so drained() always counts what is left exactly.
        this.inHand = false;
        this.done++;
        this.wakeDrainWaiters();
      }
    } finally {
      this.draining = false;
      this.inHand = false;
    }
  }

  private async dispatch(input: LiveViewInput): Promise<void> {
    // Sent in the tick it is taken while a tab is on screen (the usual case): no wait of any kind before it.
    const sessionId = this.target.current() ?? (await this.nextTab());
    if (sessionId === undefined || this.stopped) return;
    const command = toCdpInput(input);
    const sent = this.connection.send(command.method, command.params, sessionId).catch(() => undefined);
    // A page blocked in a dialog never acks: the next input goes ahead after a while.
    await withinAckWait(sent);
  }

  // Right after "ready" (or mid tab switch) input waits for the attach instead of being lost.
  private async nextTab(): Promise<string | undefined> {
    let sessionId: string | undefined;
    while (sessionId === undefined) {
      const switched = this.target.switched();
      // No tab on screen and none coming: the input has nowhere to go.
      if (!switched) return undefined;
      this.waitingForTab = true;
      this.wakeDrainWaiters();
      await switched;
      this.waitingForTab = false;
      sessionId = this.target.current();
    }
    return sessionId;
  }

  private isDrained(upTo: number): boolean {
    return this.stopped || this.waitingForTab || this.done >= upTo;
  }

  private wakeDrainWaiters(): void {
    for (const waiter of this.drainWaiters) {
      if (!this.isDrained(waiter.upTo)) continue;
      this.drainWaiters.delete(waiter);
      waiter.resolve();
    }
  }
}

async function withinAckWait(promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, INPUT_ACK_WAIT_MS)))]);
  clearTimeout(timer);
}
