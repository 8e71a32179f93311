import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeLiveViewFrame, type LiveViewFrameHeader } from "firecrawl-interact/core";
import { expect } from "vitest";
import { WebSocket } from "ws";
import { processGroupMembers } from "../browser/processes.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../emulator.js";

/** The fake API key every emulator test uses. */
export const TEST_KEY = "fc-emulator-test-key";

/** A parsed HTTP answer of the emulator. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls the emulator with `Authorization: Bearer <key>` (pass `auth: null` to send none) and parses JSON. */
export async function call(
  emulator: Pick<Emulator, "url">,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; auth?: string | null } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? `Bearer ${TEST_KEY}` : options.auth;
  if (auth !== null) headers.Authorization = auth;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** True while a process exists and is not a zombie (read from /proc). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Counts live (non-zombie) Chromium processes on the machine, whoever started them. */
export function chromiumProcessCount(): number {
  let count = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (/chrom/i.test(name) && isAlive(Number(entry))) count++;
    } catch {
      // Gone while we looked.
    }
  }
  return count;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A live-view WebSocket client that records frames and text messages. */
export class LiveViewClient {
  readonly frames: { header: LiveViewFrameHeader; jpeg: Buffer; at: number }[] = [];
  readonly messages: Record<string, unknown>[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number }>;

  constructor(liveViewUrl: string) {
    this.socket = new WebSocket(liveViewUrl.replace(/^http/, "ws"));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("error", reject);
    });
    this.closed = new Promise((resolve) => this.socket.once("close", (code) => resolve({ code })));
    this.socket.on("message", (data, isBinary) => {
      if (isBinary) this.frames.push({ ...decodeLiveViewFrame(data as Buffer), at: Date.now() });
      else this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
    });
  }

  /** Waits for a frame received after `index` frames (default: any frame). */
  nextFrame(afterCount = 0, timeoutMs = 20_000) {
    return waitFor("a live-view frame", () => this.frames[afterCount], timeoutMs);
  }

  /** Waits for a text message of a type. */
  message(type: string, timeoutMs = 20_000) {
    return waitFor(`a "${type}" message`, () => this.messages.find((message) => message.type === type), timeoutMs);
  }

  /** Sends an input message as the live-view page would. */
  send(message: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Sends a left click (press + release) at page CSS coordinates. */
  click(x: number, y: number): void {
    for (const action of ["mousePressed", "mouseReleased"]) {
      this.send({
        type: "mouse",
        action,
        x,
        y,
        button: "left",
        buttons: action === "mousePressed" ? 1 : 0,
        clickCount: 1,
      });
    }
  }

  /** Closes the socket and resolves once the close handshake finished (the server has seen every message). */
  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }
}

/** A tiny site for the remote browser to visit, on 127.0.0.1 with a free port. */
export async function startTestSite(pages: Record<string, string>) {
  const server = createServer((request, response) => {
    const html = pages[new URL(request.url ?? "/", "http://site.invalid").pathname];
    response.writeHead(html === undefined ? 404 : 200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What an emulator left behind: live processes in its Chromiums' process groups, and temp dirs on disk. */
export function leftovers(emulator: Pick<Emulator, "spawnedPids" | "spawnedUserDataDirs">) {
  return {
    alivePids: emulator.spawnedPids().flatMap((pid) => processGroupMembers(pid)),
    dirs: emulator.spawnedUserDataDirs().filter((dir) => existsSync(dir)),
  };
}

const dataDirs = new WeakMap<Emulator, string>();

/** Starts a test file's quiet emulator in a fresh data dir that {@link finishSuite} removes. */
export async function startSuiteEmulator(label: string, options: Omit<EmulatorOptions, "dataDir"> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), `fci-${label}-`));
  const emulator = await startEmulator({ quiet: true, ...options, dataDir });
  dataDirs.set(emulator, dataDir);
  return emulator;
}

/** The data dir {@link startSuiteEmulator} gave an emulator. */
export function suiteDataDir(emulator: Emulator): string {
  const dataDir = dataDirs.get(emulator);
  if (!dataDir) throw new Error("not started by startSuiteEmulator");
  return dataDir;
}

/**
 * Closes a test file's emulator, removes the data dir it was given, asserts that none of its Chromiums or temp dirs
 * is left, and logs the machine's Chromium count before and after the file.
 */
export async function finishSuite(label: string, emulator: Emulator | undefined, processesBefore: number) {
  if (!emulator) return;
  await emulator.close();
  await rm(suiteDataDir(emulator), { recursive: true, force: true });
  expect(leftovers(emulator)).toEqual({ alivePids: [], dirs: [] });
  console.info(
    `[${label}] Chromium processes on the machine: before ${processesBefore}, after ${chromiumProcessCount()}`,
  );
}

/** Live (non-zombie) processes whose command line matches `pattern`, found with `pgrep -f` (this process excluded). */
export function pgrep(pattern: string): { pid: number; command: string; environ: string }[] {
  let output = "";
  try {
    output = execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" });
  } catch (error) {
    // pgrep exits 1 when nothing matches.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  return output
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0 && pid !== process.pid && isAlive(pid))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
        return [{ pid, command, environ: readFileSync(`/proc/${pid}/environ`, "utf8") }];
      } catch {
        return [];
      }
    });
}

/** The live agent-browser processes (daemons, CLIs) of one emulator session, by the session name its wrapper sets. */
export const agentBrowserProcessesOf = (sessionId: string) =>
  pgrep("agent-browser").filter(
    (entry) =>
      entry.environ.split("\0").includes(`AGENT_BROWSER_SESSION=fci-${sessionId}`) ||
      entry.command.includes(`--session fci-${sessionId}`),
  );
