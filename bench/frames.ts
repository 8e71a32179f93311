/** Frames as a viewer receives them, timestamped on arrival, with a way to wait for the next one that matters. */

/** One received frame: arrival time (performance.now()) and its JPEG bytes. */
export interface ReceivedFrame {
  readonly at: number;
  readonly jpeg: Buffer;
}

/** Something that shows frames and takes input: the emulator's live view, or a raw CDP screencast. */
export interface FrameViewer {
  /** Every frame received so far, in order. */
  readonly frames: readonly ReceivedFrame[];
  /** Resolves with the first frame after index `from` that matches; rejects after timeoutMs. */
  frameAfter(from: number, timeoutMs: number, matches?: (frame: ReceivedFrame) => boolean): Promise<ReceivedFrame>;
  /** Sends one input message in the live view's format (`{ type: "mouse", action, x, y, button, … }`). */
  sendInput(message: Record<string, unknown>): void;
  /** Closes the socket (and, for a raw screencast, kills its browser). */
  close(): Promise<void>;
}

/** An append-only frame log with waiters. */
export class FrameLog {
  readonly frames: ReceivedFrame[] = [];
  private readonly waiters = new Set<() => void>();

  /** Records a frame now and wakes whoever waits for one. */
  push(jpeg: Buffer): void {
    this.frames.push({ at: performance.now(), jpeg });
    for (const wake of this.waiters) wake();
  }

  /** See {@link FrameViewer.frameAfter}. */
  frameAfter(from: number, timeoutMs: number, matches: (frame: ReceivedFrame) => boolean = () => true) {
    return new Promise<ReceivedFrame>((resolve, reject) => {
      let scanned = from;
      const check = () => {
        for (; scanned < this.frames.length; scanned++) {
          const frame = this.frames[scanned];
          if (frame && matches(frame)) {
            clearTimeout(deadline);
            this.waiters.delete(check);
            resolve(frame);
            return true;
          }
        }
        return false;
      };
      const deadline = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }
}
