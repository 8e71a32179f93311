/** Messages between the bench and its emulator host process. */
import type { SessionStatus } from "firecrawl-interact/core";

/** First message of the host: where the API is and which process runs it. */
export interface HostStarted {
  readonly type: "started";
  /** API root ending in /v2 (holds no credential: keys travel in headers). */
  readonly url: string;
  readonly pid: number;
}

/** A session as the bench sees it: id, status and the pid (= process group) of its Chromium. */
export interface HostSession {
  readonly id: string;
  readonly status: SessionStatus;
  readonly pid: number;
}

/** Every Chromium the emulator ever launched, and their temp profiles. */
export interface HostSpawned {
  readonly pids: readonly number[];
  readonly userDataDirs: readonly string[];
}

/** The host's own memory after a forced GC, in bytes. */
export interface HostMemory {
  readonly rss: number;
  readonly heapUsed: number;
}

/** A request to the host; `close` gets no reply (the process exits once the emulator closed). */
export type HostRequest =
  | { readonly id: number; readonly op: "warm" | "sessions" | "spawned" | "memory" }
  | { readonly id: number; readonly op: "close" };

/** The host's reply to one request. */
export interface HostReply {
  readonly id: number;
  readonly value: HostSession[] | HostSpawned | HostMemory | null;
  readonly error?: string;
}
