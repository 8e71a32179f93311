import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  pgrep,
  startSuiteEmulator,
  TEST_KEY,
  waitFor,
} from "../test-helpers/index.js";

const EMULATOR = fileURLToPath(new URL("../emulator.ts", import.meta.url));
let emulator: Emulator;
const processesBefore = chromiumProcessCount();
// A fraction unique to this test process: `sleep 12.0<pid>` is still a 12 s sleep, and no one else's.
const TAG = `0${process.pid}`;
const sleeps: string[] = [];

/** `sleep <seconds>.<tag>` as a shell word, remembered so the suite checks none is left. */
const sleep = (seconds: number) => {
  const word = `${seconds}.${TAG}`;
  sleeps.push(word);
  return word;
};
const sleepProcesses = (word: string) => pgrep(`^sleep ${word.replace(".", "\\.")}$`);

beforeAll(async () => {
  emulator = await startSuiteEmulator("emulator.run-tree", { apiKey: TEST_KEY, warmPool: 1 });
  await emulator.warm();
});

afterAll(async () => {
  await finishSuite("emulator.run-tree", emulator, processesBefore);
  for (const word of sleeps) expect(sleepProcesses(word)).toEqual([]);
});

async function createSession(): Promise<string> {
  const answer = await call(emulator, "POST", "/interact", { body: {} });
  expect(answer.status).toBe(200);
  return answer.body.id as string;
}

async function execute(id: string, body: Record<string, unknown>) {
  const started = Date.now();
  const answer = await call(emulator, "POST", `/interact/${id}/execute`, { body });
  expect(answer.status).toBe(200);
  return { body: answer.body, ms: Date.now() - started };
}

const deleteSession = async (id: string) =>
  expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);

// Node code that starts `sleep <word>` detached (a session of its own, stdio ignored) and unrefs it.
const nodeDetachedSleep = (word: string) => `const { spawn } = await import("node:child_process");
const child = spawn("sleep", ["${word}"], { detached: true, stdio: "ignore" });
child.unref();`;

// The fields of an answer that say how the run ended.
const ending = (body: Record<string, unknown>) => ({
  stdout: body.stdout,
  exitCode: body.exitCode,
  killed: body.killed,
  error: body.error,
});

describe("a run's processes end with it", () => {
  test("bash `sleep 12 & echo started` answers as soon as bash exits, and the sleep is gone", async () => {
    const id = await createSession();
    const word = sleep(12);
    const { body, ms } = await execute(id, { language: "bash", code: `sleep ${word} & echo started`, timeout: 3 });
    expect(ending(body)).toEqual({ stdout: "started\n", exitCode: 0, killed: false, error: undefined });
    expect(ms).toBeLessThan(5_000);
    expect(sleepProcesses(word)).toEqual([]);
    await deleteSession(id);
  });

  test("bash `nohup sleep 47 &` left by a finished run is gone within 2 s of the DELETE", async () => {
    const id = await createSession();
    const word = sleep(47);
    const { body } = await execute(id, {
      language: "bash",
      code: `nohup sleep ${word} >/dev/null 2>&1 &`,
      timeout: 30,
    });
    expect(ending(body)).toEqual({ stdout: "", exitCode: 0, killed: false, error: undefined });
    await deleteSession(id);
    await waitFor("no nohup'd sleep", () => sleepProcesses(word).length === 0, 2_000);
  });

  test("a DELETE during a bash run kills the run and its nohup'd child in a session of its own", async () => {
    const id = await createSession();
    const word = sleep(46);
    const running = execute(id, {
      language: "bash",
      code: `setsid nohup sleep ${word} >/dev/null 2>&1 & echo started; sleep 30`,
      timeout: 60,
    });
    await waitFor("the nohup'd sleep", () => sleepProcesses(word).length === 1, 10_000);
    await deleteSession(id);
    expect(sleepProcesses(word)).toEqual([]);
    const { body, ms } = await running;
    expect(ending(body)).toEqual({
      stdout: "started\n",
      exitCode: null,
      killed: true,
      error: "The session ended while the code ran",
    });
    expect(ms).toBeLessThan(10_000);
  });

  test("a detached, unref'd child of node code (setsid) is gone after the DELETE", async () => {
    const id = await createSession();
    const word = sleep(53);
    const { body } = await execute(id, { language: "node", code: `${nodeDetachedSleep(word)}\n"spawned"` });
    expect([body.result, body.exitCode, body.killed]).toEqual(["spawned", 0, false]);
    await deleteSession(id);
    await waitFor("no detached sleep", () => sleepProcesses(word).length === 0, 2_000);
  });

  test("a DELETE during node code kills the runner and its detached child", async () => {
    const id = await createSession();
    const word = sleep(52);
    const running = execute(id, {
      language: "node",
      code: `${nodeDetachedSleep(word)}\nawait new Promise(() => {});`,
      timeout: 60,
    });
    await waitFor("the detached sleep", () => sleepProcesses(word).length === 1, 10_000);
    await deleteSession(id);
    expect(sleepProcesses(word)).toEqual([]);
    const { body } = await running;
    expect([body.exitCode, body.killed, body.error]).toEqual([null, true, "The session ended while the code ran"]);
  });
});

describe("a run past its timeout", () => {
  test("bash with a setsid'd background child: killed at the timeout, nothing left", async () => {
    const id = await createSession();
    const [detached, background] = [sleep(58), sleep(57)];
    const { body, ms } = await execute(id, {
      language: "bash",
      code: `setsid sleep ${detached} & sleep ${background} & echo started; sleep 30`,
      timeout: 2,
    });
    expect(ending(body)).toEqual({
      stdout: "started\n",
      exitCode: null,
      killed: true,
      error: "Execution timed out after 2s and was killed",
    });
    expect(ms).toBeGreaterThanOrEqual(2_000);
    expect(ms).toBeLessThan(3_000);
    expect([...sleepProcesses(detached), ...sleepProcesses(background)]).toEqual([]);
    await deleteSession(id);
  });

  test("node with a detached child: killed at the timeout, nothing left", async () => {
    const id = await createSession();
    const word = sleep(59);
    const { body, ms } = await execute(id, {
      language: "node",
      code: `${nodeDetachedSleep(word)}\nawait new Promise(() => {});`,
      timeout: 2,
    });
    expect([body.exitCode, body.killed, body.error]).toEqual([
      null,
      true,
      "Execution timed out after 2s and was killed",
    ]);
    expect(ms).toBeGreaterThanOrEqual(2_000);
    expect(ms).toBeLessThan(3_000);
    expect(sleepProcesses(word)).toEqual([]);
    await deleteSession(id);
  });

  test("emulator close kills a run's detached child", async () => {
    const other = await startSuiteEmulator("emulator.run-tree-close", { apiKey: TEST_KEY, warmPool: 0 });
    const word = sleep(54);
    let running: Promise<unknown> | undefined;
    try {
      const created = await call(other, "POST", "/interact", { body: {} });
      expect(created.status).toBe(200);
      const code = `${nodeDetachedSleep(word)}\nawait new Promise(() => {});`;
      running = call(other, "POST", `/interact/${created.body.id}/execute`, { body: { code, timeout: 60 } });
      await waitFor("the detached sleep", () => sleepProcesses(word).length === 1, 15_000);
    } finally {
      await finishSuite("emulator.run-tree-close", other, processesBefore);
    }
    expect(sleepProcesses(word)).toEqual([]);
    await running?.catch(() => undefined);
  });

  test("the host process exiting without close() kills a run's detached child", async () => {
    const word = sleep(51);
    const code = `${nodeDetachedSleep(word)}\nawait new Promise(() => {});`;
    // A host that starts an emulator, leaves a run going, and exits at a word on stdin without closing anything.
    const script = `import { startEmulator } from ${JSON.stringify(EMULATOR)};
const emulator = await startEmulator({ quiet: true, warmPool: 0 });
const headers = { Authorization: "Bearer fc-host-exit", "Content-Type": "application/json" };
const post = (path, body) => fetch(emulator.url + path, { method: "POST", headers, body: JSON.stringify(body) });
const { id } = await (await post("/interact", {})).json();
post("/interact/" + id + "/execute", { code: ${JSON.stringify(code)}, timeout: 60 }).catch(() => undefined);
process.stdin.once("data", () => process.exit(0));`;
    const host = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["pipe", "ignore", "inherit"],
    });
    const exited = new Promise((resolve) => host.once("exit", resolve));
    try {
      await waitFor("the detached sleep", () => sleepProcesses(word).length === 1, 30_000);
      host.stdin?.write("exit\n");
      expect(await exited).toBe(0);
      expect(sleepProcesses(word)).toEqual([]);
    } finally {
      if (host.exitCode === null && host.signalCode === null) host.kill("SIGKILL");
    }
  });
});
