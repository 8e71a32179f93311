import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { processGroupMembers } from "./browser/processes.js";
import { call, waitFor } from "./test-helpers/index.js";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  // Only if a test failed before its own signal: never leave the CLI running.
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
  child = undefined;
});

/** Pids of the live Chromium processes whose parent is `parent` (the browsers the CLI launched). */
function childrenOf(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (fields[0] !== "Z" && Number(fields[1]) === parent && /chrom/i.test(name)) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

function startCli(args: string[]): Promise<{ url: string; process: ChildProcess }> {
  const cli = spawn(process.execPath, ["--import", "tsx", CLI, "--port", "0", "--quiet", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = cli;
  return new Promise((resolve, reject) => {
    let output = "";
    cli.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Firecrawl interact emulator: (http:\/\/\S+\/v2)/.exec(output)?.[1];
      if (url) resolve({ url, process: cli });
    });
    cli.once("exit", (code) => reject(new Error(`CLI exited with ${code} before listening`)));
  });
}

const exited = (cli: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (cli.exitCode !== null) resolve(cli.exitCode);
    else cli.once("exit", (code) => resolve(code));
  });

describe("firecrawl-interact-emulator (CLI)", () => {
  test.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s closes the emulator and kills every Chromium it started", async (signal, exitCode) => {
    const { url, process: cli } = await startCli(["--warm-pool", "1", "--max-sessions", "2"]);
    const created = await call({ url }, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    // The session's browser plus the refilled warm one.
    const browsers = await waitFor("two Chromiums under the CLI", () => {
      const pids = childrenOf(cli.pid ?? -1);
      return pids.length >= 2 ? pids : undefined;
    });
    cli.kill(signal);
    expect(await exited(cli)).toBe(exitCode);
    expect(browsers.flatMap((pid) => processGroupMembers(pid))).toEqual([]);
  });

  test("--help prints the usage; a bad flag exits 2", async () => {
    const help = spawn(process.execPath, ["--import", "tsx", CLI, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    help.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    expect(await exited(help)).toBe(0);
    expect(out).toContain("Usage: firecrawl-interact-emulator [options]");
    const bad = spawn(process.execPath, ["--import", "tsx", CLI, "--port", "-1"], { stdio: "ignore" });
    expect(await exited(bad)).toBe(2);
  });
});
