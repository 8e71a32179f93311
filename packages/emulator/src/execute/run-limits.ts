import { EmulatorHttpError } from "../errors.js";

// 8 runs (a Node runner is ~60 MB and drives Chromium hard) keep a developer machine responsive; 2 per session
// lets the default 4 sessions share them evenly, and two runs in one tab are already racing each other.
/** Most runs (code executes and prompt-agent runs) at once in one emulator, by default. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 8;
/** Most runs at once in one session, by default. */
export const DEFAULT_MAX_CONCURRENT_RUNS_PER_SESSION = 2;

/** Options of {@link RunLimits}. */
export interface RunLimitsOptions {
  /** Most runs at once in the emulator (default {@link DEFAULT_MAX_CONCURRENT_RUNS}). */
  maxConcurrentRuns?: number;
  /** Most runs at once in one session (default {@link DEFAULT_MAX_CONCURRENT_RUNS_PER_SESSION}). */
  maxConcurrentRunsPerSession?: number;
}

// Runs are short (seconds): a refused caller may try again soon.
const RETRY_AFTER_S = 1;

const atLeastOne = (name: string, value: number) => {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1`);
  return value;
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * Counts the runs going on, per session and in total, and refuses one past either cap with 429 `rate_limited` and
 * `Retry-After` before anything is started for it.
 */
export class RunLimits {
  readonly maxConcurrentRuns: number;
  readonly maxConcurrentRunsPerSession: number;
  private total = 0;
  private readonly perSession = new Map<string, number>();

  constructor(options: RunLimitsOptions = {}) {
    const { maxConcurrentRuns = DEFAULT_MAX_CONCURRENT_RUNS } = options;
    const { maxConcurrentRunsPerSession = DEFAULT_MAX_CONCURRENT_RUNS_PER_SESSION } = options;
    this.maxConcurrentRuns = atLeastOne("maxConcurrentRuns", maxConcurrentRuns);
    this.maxConcurrentRunsPerSession = atLeastOne("maxConcurrentRunsPerSession", maxConcurrentRunsPerSession);
  }

  /** Runs going on now in the emulator. */
  get running(): number {
    return this.total;
  }

  /** Takes a slot for a run in `sessionId`, or throws the 429; returns the slot's release (idempotent). */
  admit(sessionId: string): () => void {
    const inSession = this.perSession.get(sessionId) ?? 0;
    if (inSession >= this.maxConcurrentRunsPerSession) {
      const limit = this.maxConcurrentRunsPerSession;
      throw new EmulatorHttpError(
        429,
        "rate_limited",
        `At most ${plural(limit, "run")} may go on at once in a session`,
        { maxConcurrentRunsPerSession: limit },
        RETRY_AFTER_S,
      );
    }
    if (this.total >= this.maxConcurrentRuns) {
      const limit = this.maxConcurrentRuns;
      throw new EmulatorHttpError(
        429,
        "rate_limited",
        `At most ${plural(limit, "run")} may go on at once in the emulator`,
        { maxConcurrentRuns: limit },
        RETRY_AFTER_S,
      );
    }
    this.total++;
    this.perSession.set(sessionId, inSession + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perSession.get(sessionId) ?? 1) - 1;
      if (left > 0) this.perSession.set(sessionId, left);
      else this.perSession.delete(sessionId);
    };
  }
}
