/** Starts the emulator in a child process (see emulator-host.ts) and talks to it over IPC. */
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { HostMemory, HostReply, HostSession, HostSpawned, HostStarted } from "./emulator-protocol.js";

const here = dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** Fake key the bench authenticates with (the emulator is local; this is not a credential). */
export const BENCH_API_KEY = "fc-bench-local-emulator-key";

/** Options forwarded to `startEmulator` in the child. */
export interface EmulatorProcessOptions {
  readonly warmPool: number;
  readonly maxSessions: number;
}

/** A running emulator host process. */
export interface EmulatorProcess {
  /** API root, ending in /v2. */
  readonly url: string;
  /** Pid of the Node process running the emulator (its Chromiums are below it). */
  readonly pid: number;
  /** Resolves once the warm pool is full. */
  warm(): Promise<void>;
  /** Every session with the pid of its Chromium. */
  sessions(): Promise<HostSession[]>;
  /** Every Chromium ever launched and its temp profile dir. */
  spawned(): Promise<HostSpawned>;
  /** RSS and heap of the emulator process after a forced GC. */
  memory(): Promise<HostMemory>;
  /** Closes the emulator (it kills its Chromiums) and waits for the process to exit. */
  close(): Promise<void>;
}

/** Forks the emulator host with tsx and resolves once it listens. */
export async function startEmulatorProcess(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(join(here, "emulator-host.ts"), [], {
    cwd: resolve(here, ".."),
    execArgv: ["--import", "tsx", "--expose-gc"],
    env: { ...process.env, BENCH_API_KEY, BENCH_EMULATOR_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  // If the bench itself dies, the host still gets SIGTERM and closes its Chromiums.
  const onExit = () => child.kill("SIGTERM");
  process.once("exit", onExit);
  let nextId = 1;
  const waiting = new Map<number, (reply: HostReply) => void>();
  child.on("message", (raw) => {
    const reply = raw as HostReply;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const call = <T>(op: "warm" | "sessions" | "spawned" | "memory") =>
    new Promise<T>((done, fail) => {
      const id = nextId++;
      waiting.set(id, (reply) => (reply.error ? fail(new Error(reply.error)) : done(reply.value as T)));
      child.send({ id, op });
    });

  const started = await new Promise<HostStarted>((done, fail) => {
    const timer = setTimeout(() => fail(new Error("emulator host did not start in time")), START_TIMEOUT_MS);
    child.once("exit", (code) => fail(new Error(`emulator host exited with ${code} before listening`)));
    child.once("message", (message) => {
      clearTimeout(timer);
      done(message as HostStarted);
    });
  }).catch((error: unknown) => {
    child.kill("SIGTERM");
    throw error;
  });

  return {
    url: started.url,
    pid: started.pid,
    warm: () => call<null>("warm").then(() => undefined),
    sessions: () => call<HostSession[]>("sessions"),
    spawned: () => call<HostSpawned>("spawned"),
    memory: () => call<HostMemory>("memory"),
    close: async () => {
      if (child.connected) child.send({ id: nextId++, op: "close" });
      else child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(forced);
      process.off("exit", onExit);
    },
  };
}
