import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  startSuiteEmulator,
  TEST_KEY,
  waitFor,
} from "../test-helpers/index.js";
import { isChromiumEnvName } from "./chromium.js";
import { processGroupMembers } from "./processes.js";

// Fake secrets in the emulator's own environment, none of which may reach a browser.
const SECRETS = {
  FIRECRAWL_API_KEY: "fc-test-secret-xyz",
  FIRECRAWL_EMULATOR_API_KEY: TEST_KEY,
  AWS_SECRET_ACCESS_KEY: "aws-test-secret-abc",
} as const;

const EMULATOR = fileURLToPath(new URL("../emulator.ts", import.meta.url));
let emulator: Emulator;
const processesBefore = chromiumProcessCount();
const savedEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  for (const [name, value] of Object.entries(SECRETS)) {
    savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  emulator = await startSuiteEmulator("emulator.launch", { apiKey: TEST_KEY, warmPool: 1 });
  await emulator.warm();
});

afterAll(async () => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await finishSuite("emulator.launch", emulator, processesBefore);
});

const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");

// Inodes of the TCP sockets in LISTEN state on this machine (IPv4 and IPv6).
function listeningInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A" && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

// Inodes of the sockets a process has open.
function socketInodes(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      const found = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      return found?.[1] ? [found[1]] : [];
    } catch {
      return [];
    }
  });
}

// Every live process of every Chromium the emulator launched (browser, renderers, GPU, utilities).
const chromiumProcesses = () => emulator.spawnedPids().flatMap((pgid) => processGroupMembers(pgid));

describe("Chromium runs with a minimal environment and no DevTools port", () => {
  test("a session's browser: driven over --remote-debugging-pipe, with only allow-listed variables", async () => {
    const created = await call(emulator, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    const session = emulator.sessions().find((entry) => entry.id === created.body.id);
    if (!session) throw new Error("the session is not listed");

    const command = commandOf(session.pid);
    expect(command).toContain("--remote-debugging-pipe");
    expect(command.filter((arg) => arg.startsWith("--remote-debugging-port"))).toEqual([]);

    // Each browser process (the session's and the warm pool's replacement) has only allow-listed variables; its
    // children were started with the same environment (their own /proc environ is overwritten by their titles).
    const browsers = emulator.spawnedPids().filter((pid) => processGroupMembers(pid).includes(pid));
    expect(browsers).toContain(session.pid);
    for (const pid of browsers) {
      const environ = environOf(pid);
      const names = environ.map((entry) => entry.slice(0, entry.indexOf("=")));
      expect(names.filter((name) => name !== "TMPDIR" && !isChromiumEnvName(name))).toEqual([]);
      expect(environ).toContain(`PATH=${process.env.PATH}`);
    }
    const processes = chromiumProcesses();
    expect(processes.length).toBeGreaterThan(browsers.length);
    for (const pid of processes) {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      expect(Object.values(SECRETS).filter((secret) => environ.includes(secret))).toEqual([]);
    }
    const tmp = environOf(session.pid).find((entry) => entry.startsWith("TMPDIR="));
    expect(tmp).toBe(`TMPDIR=${session.userDataDir}/.tmp`);

    const deleted = await call(emulator, "DELETE", `/interact/${created.body.id}`);
    expect(deleted.status).toBe(200);
  });

  test("no Chromium of the emulator listens on a TCP port: no local process gets CDP from it without a token", async () => {
    const created = await call(emulator, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    // The page is loaded and the live-view path attached: a browser that opens a port would have done so by now.
    const executed = await call(emulator, "POST", `/interact/${created.body.id}/execute`, {
      body: { code: "await page.setContent('<title>t</title>'); await page.title()" },
    });
    expect(executed.body).toMatchObject({ success: true, result: "t" });

    const listening = listeningInodes();
    const processes = chromiumProcesses();
    expect(processes.length).toBeGreaterThan(2);
    const listeners = processes.flatMap((pid) => socketInodes(pid).filter((inode) => listening.has(inode)));
    expect(listeners).toEqual([]);

    await call(emulator, "DELETE", `/interact/${created.body.id}`);
  });

  test("agent-browser gets the endpoint's token in its environment, not on its command line", async () => {
    const created = await call(emulator, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    // The command line of a running agent-browser CLI, read while it waits.
    const code = `agent-browser wait 1500 >/dev/null & pid=$!; sleep 0.5; tr '\\0' ' ' < /proc/$pid/cmdline; echo; grep -c '^AGENT_BROWSER_CDP=ws://127.0.0.1:[0-9]*/devtools/browser/' < <(tr '\\0' '\\n' < /proc/$pid/environ); wait`;
    const executed = await call(emulator, "POST", `/interact/${created.body.id}/execute`, {
      body: { code, language: "bash" },
    });
    expect(executed.body).toMatchObject({ success: true, exitCode: 0 });
    const [commandLine, inEnvironment] = (executed.body.stdout as string).trim().split("\n");
    expect(commandLine).toMatch(new RegExp(`/agent-browser[\\w-]* --session fci-${created.body.id} wait 1500 $`));
    expect(commandLine).not.toMatch(/devtools|--cdp|token/);
    expect(inEnvironment).toBe("1");
    await call(emulator, "DELETE", `/interact/${created.body.id}`);
  });

  test("an emulator killed with SIGKILL leaves no Chromium: each browser ends when its pipe closes", async () => {
    // A host that starts an emulator with two warm browsers, prints their pids and profiles and waits to be killed.
    const script = `import { startEmulator } from ${JSON.stringify(EMULATOR)};
const emulator = await startEmulator({ quiet: true, warmPool: 2 });
await emulator.warm();
process.stdout.write(JSON.stringify({ pids: emulator.spawnedPids(), dirs: emulator.spawnedUserDataDirs() }) + "\\n");
setInterval(() => undefined, 60_000);`;
    const host = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let printed = "";
    host.stdout?.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    let pids: number[] = [];
    let dirs: string[] = [];
    try {
      ({ pids, dirs } = JSON.parse(
        await waitFor("the host's browsers", () => (printed.includes("\n") ? printed : undefined), 30_000),
      ));
      expect(pids).toHaveLength(2);
      expect(pids.map((pid) => processGroupMembers(pid).length > 0)).toEqual([true, true]);
      host.kill("SIGKILL");
      await waitFor("the browsers to exit", () => pids.every((pid) => processGroupMembers(pid).length === 0), 10_000);
    } finally {
      if (host.exitCode === null && host.signalCode === null) host.kill("SIGKILL");
      for (const pid of pids) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // Gone, as it should be.
        }
      }
      // A SIGKILLed host removes nothing: its temp profiles are the test's to clean up.
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
