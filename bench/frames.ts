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

/** Width × height of a JPEG, read from its SOF marker (`0×0` when there is none). */
export function jpegSize(jpeg: Uint8Array): { width: number; height: number } {
  for (let i = 2; i + 8 < jpeg.length && jpeg[i] === 0xff; ) {
    const marker = jpeg[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: ((jpeg[i + 5] ?? 0) << 8) | (jpeg[i + 6] ?? 0),
        width: ((jpeg[i + 7] ?? 0) << 8) | (jpeg[i + 8] ?? 0),
      };
    }
    i += 2 + (((jpeg[i + 2] ?? 0) << 8) | (jpeg[i + 3] ?? 0));
  }
  return { width: 0, height: 0 };
}

/** The most common JPEG size among frames, as `640×360` (`—` when there are none). */
export function commonFrameSize(frames: readonly ReceivedFrame[]): string {
  const counts = new Map<string, number>();
  for (const frame of frames) {
    const { width, height } = jpegSize(frame.jpeg);
    const key = `${width}×${height}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "—";
}
