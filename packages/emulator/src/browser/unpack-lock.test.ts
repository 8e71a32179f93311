import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { withUnpackLock } from "./unpack-lock.js";

let dir: string;
let lock: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fci-unpack-lock-"));
  lock = join(dir, "lock");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("withUnpackLock", () => {
  test("concurrent unpacks run one at a time and the lock is released after each", async () => {
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const unpack = (n: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(30);
      order.push(n);
      running--;
      return n;
    };
    const results = await Promise.all([1, 2, 3].map((n) => withUnpackLock(unpack(n), { lock })));
    expect(results).toEqual([1, 2, 3]);
    expect(maxRunning).toBe(1);
    expect(order).toHaveLength(3);
    expect(existsSync(lock)).toBe(false);
  });

  test("when the work is done and nobody holds the lock, it runs without taking it", async () => {
    const seen = await withUnpackLock(async () => existsSync(lock), { lock, isDone: () => true });
    expect(seen).toBe(false);
  });

  test("while another process holds the lock, even a finished unpack waits for it", async () => {
    mkdirSync(lock);
    writeFileSync(join(lock, "pid"), String(process.pid));
    let ran = false;
    const waiting = withUnpackLock(
      async () => {
        ran = true;
      },
      { lock, isDone: () => true },
    );
    await sleep(300);
    expect(ran).toBe(false);
    await rm(lock, { recursive: true });
    await waiting;
    expect(ran).toBe(true);
  });

  test("a lock left by a dead process is taken over after onStale cleans up", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    const pid = await new Promise<number>((resolve) => dead.once("exit", () => resolve(dead.pid ?? -1)));
    mkdirSync(lock);
    writeFileSync(join(lock, "pid"), String(pid));
    const events: string[] = [];
    await withUnpackLock(async () => events.push("unpack"), { lock, onStale: () => events.push("stale") });
    expect(events).toEqual(["stale", "unpack"]);
    expect(existsSync(lock)).toBe(false);
  });
});
