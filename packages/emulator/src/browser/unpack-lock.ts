import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Lock directory that serialises unpacking the npm-shipped Chromium across processes (test workers, CLIs). */
export const DEFAULT_UNPACK_LOCK = join(tmpdir(), "firecrawl-interact-chromium.lock");

const STALE_MS = 5 * 60_000;
const WAIT_MS = 5 * 60_000;

const holderAlive = (lock: string): boolean => {
  try {
    const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(lock).mtimeMs < 5_000;
    process.kill(pid, 0);
    return Date.now() - statSync(lock).mtimeMs < STALE_MS;
  } catch (error) {
    // EPERM: the process exists but is not ours; anything else: it is gone (or the lock vanished).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Runs `unpack` while holding a cross-process lock (an atomic mkdir), so two processes never unpack Chromium into
 * the same file at once: the package treats a half-written binary as ready. When `isDone()` and nobody holds the
 * lock, `unpack` runs without it (the fast path). A lock whose holder died is taken over, and `onStale` runs first so
 * the caller can remove what the dead holder left half-done.
 */
export async function withUnpackLock<T>(
  unpack: () => Promise<T>,
  options: { lock?: string; isDone?: () => boolean; onStale?: () => void } = {},
): Promise<T> {
  const lock = options.lock ?? DEFAULT_UNPACK_LOCK;
  if (options.isDone?.() && !existsSync(lock)) return unpack();
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!holderAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        options.onStale?.();
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    writeFileSync(join(lock, "pid"), String(process.pid));
    return await unpack();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
