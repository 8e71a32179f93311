/**
 * Child process that runs one emulator for the bench, so its memory and event loop are its own (as in real use).
 * Started by emulator-process.ts over an IPC channel; closes the emulator (killing every Chromium it started) when
 * asked, on SIGTERM, or when the parent goes away.
 */
import { startEmulator } from "firecrawl-interact-emulator";
import type { HostReply, HostRequest, HostStarted } from "./emulator-protocol.js";

const options = JSON.parse(process.env.BENCH_EMULATOR_OPTIONS ?? "{}") as { warmPool?: number; maxSessions?: number };
const emulator = await startEmulator({
  port: 0,
  apiKey: process.env.BENCH_API_KEY ?? "",
  quiet: true,
  ...options,
});

let closing: Promise<void> | undefined;
const shutdown = () => {
  closing ??= emulator.close().finally(() => process.exit(0));
  return closing;
};
process.on("disconnect", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

const send = (message: HostStarted | HostReply) => process.send?.(message);

async function answer(op: Exclude<HostRequest["op"], "close">): Promise<HostReply["value"]> {
  switch (op) {
    case "warm":
      await emulator.warm();
      return null;
    case "sessions":
      return emulator.sessions().map(({ id, status, pid }) => ({ id, status, pid }));
    case "spawned":
      return { pids: emulator.spawnedPids(), userDataDirs: emulator.spawnedUserDataDirs() };
    case "memory": {
      // Collect first so retained memory, not garbage waiting for the next cycle, is what gets compared.
      globalThis.gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      return { rss, heapUsed };
    }
  }
}

process.on("message", (raw) => {
  const request = raw as HostRequest;
  if (request.op === "close") {
    void shutdown();
    return;
  }
  answer(request.op).then(
    (value) => send({ id: request.id, value }),
    (error: unknown) => send({ id: request.id, value: null, error: String(error) }),
  );
});

send({ type: "started", url: emulator.url, pid: process.pid });
