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

function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; process: ChildProcess }> {
  const cli = spawn(process.execPath, ["--import", "tsx", CLI, "--port", "0", "--quiet", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
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
    expect(out).toContain("--api-key <key>      accept only this Bearer key (default: FIRECRAWL_EMULATOR_API_KEY");
    expect(out).toContain("--api-keys <k=team,…> teams: accept only these keys, each in its team");
    expect(out).toContain("--start-url <url>    where new sessions open (default about:blank, as Firecrawl)");
    const bad = spawn(process.execPath, ["--import", "tsx", CLI, "--port", "-1"], { stdio: "ignore" });
    expect(await exited(bad)).toBe(2);
  });

  test("--max-concurrent-runs-per-session caps a session's runs; --max-concurrent-runs 0 fails the start", async () => {
    const { url, process: cli } = await startCli(["--warm-pool", "0", "--max-concurrent-runs-per-session", "1"]);
    const created = await call({ url }, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    const code = "await new Promise((resolve) => setTimeout(resolve, 1500)); 1";
    const run = () => call({ url }, "POST", `/interact/${created.body.id}/execute`, { body: { code } });
    const answers = await Promise.all([run(), run()]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429]);
    cli.kill("SIGTERM");
    expect(await exited(cli)).toBe(143);
    const refused = spawn(process.execPath, ["--import", "tsx", CLI, "--max-concurrent-runs", "0"], {
      stdio: "ignore",
    });
    expect(await exited(refused)).toBe(1);
  });

  test("--start-url /__emulator/start: a new session opens on the emulator's own start page", async () => {
    const { url, process: cli } = await startCli(["--warm-pool", "0", "--start-url", "/__emulator/start"]);
    const created = await call({ url }, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    const opened = await call({ url }, "POST", `/interact/${created.body.id}/execute`, {
      body: { code: "page.url()" },
    });
    expect(opened.body.result).toBe(`${new URL(url).origin}/__emulator/start`);
    cli.kill("SIGTERM");
    expect(await exited(cli)).toBe(143);
  });

  test("teams come from FIRECRAWL_EMULATOR_API_KEYS (or --api-keys): unknown keys are 401, one team's session 403 to another", async () => {
    const { url, process: cli } = await startCli(["--warm-pool", "0"], {
      ...process.env,
      FIRECRAWL_EMULATOR_API_KEYS: "fc-cli-team-a=alpha, fc-cli-team-b=beta",
    });
    expect(readFileSync(`/proc/${cli.pid}/cmdline`, "utf8")).not.toContain("fc-cli-team-a");
    const created = await call({ url }, "POST", "/interact", { auth: "Bearer fc-cli-team-a", body: {} });
    expect(created.status).toBe(200);
    const other = await call({ url }, "GET", `/interact/${created.body.id}`, { auth: "Bearer fc-cli-team-b" });
    expect([other.status, other.body.error]).toEqual([403, "Forbidden."]);
    expect((await call({ url }, "GET", "/interact", { auth: "Bearer fc-cli-team-c" })).status).toBe(401);
    cli.kill("SIGTERM");
    expect(await exited(cli)).toBe(143);
    const malformed = spawn(process.execPath, ["--import", "tsx", CLI, "--api-keys", "fc-no-team"], {
      stdio: "ignore",
    });
    expect(await exited(malformed)).toBe(2);
  });

  test("the key comes from FIRECRAWL_EMULATOR_API_KEY, off the command line; --keyless-scrape and --allowed-origin", async () => {
    const key = "fc-cli-env-test-key";
    const { url, process: cli } = await startCli(
      ["--warm-pool", "0", "--keyless-scrape", "--allowed-origin", "http://app.localhost:5173"],
      { ...process.env, FIRECRAWL_EMULATOR_API_KEY: key },
    );
    expect(readFileSync(`/proc/${cli.pid}/cmdline`, "utf8")).not.toContain(key);
    expect((await call({ url }, "GET", "/interact", { auth: `Bearer ${key}` })).status).toBe(200);
    expect((await call({ url }, "GET", "/interact", { auth: "Bearer fc-some-other-key" })).status).toBe(401);
    // Keyless scrape: past the key check, the file: URL is the scrape's own 400.
    const scraped = await call({ url }, "POST", "/scrape", { auth: null, body: { url: "file:///etc/passwd" } });
    expect([scraped.status, scraped.body.code]).toEqual([400, "BAD_REQUEST"]);
    const headers = (origin: string) => ({ headers: { Authorization: `Bearer ${key}`, Origin: origin } });
    expect((await fetch(`${url}/interact`, headers("http://app.localhost:5173"))).status).toBe(200);
    expect((await fetch(`${url}/interact`, headers("https://evil.example"))).status).toBe(403);
    cli.kill("SIGTERM");
    expect(await exited(cli)).toBe(143);
  });
});
