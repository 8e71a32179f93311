import type { LiveViewInput, LiveViewMouseInput, LiveViewWheelInput } from "firecrawl-interact/core";

/** How much input may wait for the page: past `dropMovesAbove` entries old moves are dropped, past `maxEntries` input is refused. */
export interface InputQueueLimits {
  /** Entries above which the oldest waiting move is dropped for each new entry. */
  dropMovesAbove: number;
  /** Entries past which input that cannot be dropped (presses, releases, keys, wheel, text) is refused. */
  maxEntries: number;
  /** Characters of pasted text that may wait at once. */
  maxTextChars: number;
}

/** The live view's limits: far above what a person (or a viewer page) sends while the page keeps up. */
export const INPUT_QUEUE_LIMITS: InputQueueLimits = { dropMovesAbove: 256, maxEntries: 1024, maxTextChars: 1_000_000 };

const isMove = (input: LiveViewInput | undefined): input is LiveViewMouseInput =>
  input?.type === "mouse" && input.action === "mouseMoved";

/**
 * The input waiting for the page, in arrival order, kept short: a move right after a waiting move replaces it (the
 * latest position is all that matters, and a move never crosses a press, release, key, wheel or text), and a wheel
 * right after a waiting wheel with the same modifiers adds its deltas to it at the newer position. Past
 * {@link InputQueueLimits.dropMovesAbove} entries the oldest waiting move is dropped; nothing else ever is.
 */
export class InputQueue {
  private readonly entries: LiveViewInput[] = [];
  private textChars = 0;

  constructor(private readonly limits: InputQueueLimits = INPUT_QUEUE_LIMITS) {}

  /** How many entries wait. */
  get length(): number {
    return this.entries.length;
  }

  /**
   * Queues `input`, merged into the last entry where it can be; false when it is refused because too much is
   * waiting (the sender floods faster than the page takes input), true otherwise (a dropped move included).
   */
  push(input: LiveViewInput): boolean {
    const last = this.entries.at(-1);
    if (isMove(input) && isMove(last)) {
      this.entries[this.entries.length - 1] = input;
      return true;
    }
    if (input.type === "wheel" && last?.type === "wheel" && last.modifiers === input.modifiers) {
      this.entries[this.entries.length - 1] = addWheel(last, input);
      return true;
    }
    const text = input.type === "text" ? input.text.length : 0;
    if (this.textChars + text > this.limits.maxTextChars) return false;
    if (this.entries.length >= this.limits.dropMovesAbove && !this.dropOldestMove()) {
      // Only presses, releases, keys, wheels and text wait: a move is dropped, anything else refused past the bound.
      if (isMove(input)) return true;
      if (this.entries.length >= this.limits.maxEntries) return false;
    }
    this.entries.push(input);
    this.textChars += text;
    return true;
  }

  /** Takes the oldest entry, the next to dispatch; once taken nothing merges into it. */
  shift(): LiveViewInput | undefined {
    const input = this.entries.shift();
    if (input?.type === "text") this.textChars -= input.text.length;
    return input;
  }

  /** Drops everything waiting. */
  clear(): void {
    this.entries.length = 0;
    this.textChars = 0;
  }

  private dropOldestMove(): boolean {
    const index = this.entries.findIndex(isMove);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    return true;
  }
}

const addWheel = (first: LiveViewWheelInput, next: LiveViewWheelInput): LiveViewWheelInput => ({
  ...next,
  deltaX: first.deltaX + next.deltaX,
  deltaY: first.deltaY + next.deltaY,
});
