import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Firecrawl from "@mendable/firecrawl-js";
import { operations } from "firecrawl-interact/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  agentBrowserProcessesOf,
  call,
  chromiumProcessCount,
  finishSuite,
  pgrep,
  startSuiteEmulator,
  startTestSite,
  TEST_KEY,
  waitFor,
} from "../test-helpers/index.js";
import { PYTHON_RUNNER } from "./python.js";
import { DEFAULT_EXECUTE_LANGUAGE, DEFAULT_EXECUTE_TIMEOUT_S } from "./runner-pool.js";

// One page to drive with every language: a text box and a button that puts the box's text in the title.
const PAGES: Record<string, string> = {
  "/page": `<!doctype html><html><head><title>Page One</title></head><body>
<input id="q" aria-label="Query"><button id="go">Go</button><script>
document.getElementById("go").addEventListener("click", () => {
  document.title = "clicked " + document.getElementById("q").value;
});
</script></body></html>`,
  "/other": `<!doctype html><html><head><title>Other Page</title></head><body>other</body></html>`,
};

// Whether this machine's python3 has Playwright for Python: the test checks the behaviour that follows from it.
const machinePythonHasPlaywright =
  spawnSync("python3", ["-c", "import playwright.async_api"], { stdio: "ignore" }).status === 0;
// A word of the Python runner's source (its command line): its processes are found by it.
const PYTHON_MARKER = "PyCF_ALLOW_TOP_LEVEL_AWAIT";

let emulator: Emulator;
let noPlaywright: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
let scratch: string;
const sessionIds: string[] = [];
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite(PAGES);
  scratch = await mkdtemp(join(tmpdir(), "fci-languages-"));
  // A Python that cannot import Playwright whatever is installed: isolated mode without site-packages.
  const isolatedPython = join(scratch, "python-without-playwright");
  await writeFile(isolatedPython, '#!/bin/sh\nexec python3 -I -S "$@"\n', { mode: 0o755 });
  [emulator, noPlaywright] = await Promise.all([
    startSuiteEmulator("emulator.languages", { apiKey: TEST_KEY, warmPool: 1, python: "python3" }),
    startSuiteEmulator("emulator.languages-nopw", { apiKey: TEST_KEY, warmPool: 0, python: isolatedPython }),
  ]);
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  // Closing ends every session: browsers, runs and agent-browser daemons go, even after a failed test.
  await finishSuite("emulator.languages-nopw", noPlaywright, processesBefore);
  await finishSuite("emulator.languages", emulator, processesBefore);
  await rm(scratch, { recursive: true, force: true });
  for (const id of sessionIds) expect(agentBrowserProcessesOf(id)).toEqual([]);
  expect(pgrep(PYTHON_MARKER)).toEqual([]);
});

async function createSession(on: Emulator = emulator, body: Record<string, unknown> = {}) {
  const answer = await call(on, "POST", "/interact", { body });
  expect(answer.status).toBe(200);
  const id = answer.body.id as string;
  sessionIds.push(id);
  return id;
}

const execute = async (id: string, body: Record<string, unknown>, on: Emulator = emulator) => {
  const answer = await call(on, "POST", `/interact/${id}/execute`, { body });
  expect(answer.status).toBe(200);
  return answer.body;
};

describe("node: result is the last expression's value, stdout is what the code printed", () => {
  let id: string;
  beforeAll(async () => {
    id = await createSession();
    await execute(id, { code: `await page.goto(${JSON.stringify(`${site.origin}/page`)})` });
  });
  afterAll(() => call(emulator, "DELETE", `/interact/${id}`));

  const cases: [string, string, string | null][] = [
    ["an expression", "6 * 7", "42"],
    ["an await expression", "await page.title()", "Page One"],
    [
      "the docs' example (declarations, then JSON.stringify)",
      "const title = await page.title(); JSON.stringify({ title });",
      '{"title":"Page One"}',
    ],
    ["a declaration last", "const title = await page.title();", null],
    ["a function declaration last", "function f() { return 1; }", null],
    ["an object (JSON)", "({ a: 1, b: [true, null], c: 'x' })", '{"a":1,"b":[true,null],"c":"x"}'],
    ["an array after a statement without semicolon", "const n = 2\n;[n, n * 2]", "[2,4]"],
    ["a string as it is", "'a' + 'b'", "ab"],
    ["undefined", "undefined", null],
    ["a value that is not JSON (String())", "Symbol('s')", "Symbol(s)"],
    ["a trailing comment", "await page.title() // the title", "Page One"],
    ["an explicit return", "return 5;\n6", "5"],
    ["a promise (awaited)", "page.title()", "Page One"],
  ];
  test.each(cases)("%s", async (_label, code, expected) => {
    const answer = await execute(id, { code, language: "node" });
    expect(answer).toEqual({
      success: true,
      stdout: "",
      result: expected,
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    });
  });

  test("console output stays in stdout, apart from the result", async () => {
    const answer = await execute(id, { code: 'console.log("printed"); console.error("warned"); "value"' });
    expect(answer).toMatchObject({ stdout: "printed\n", stderr: "warned\n", result: "value", exitCode: 0 });
    expect(answer).not.toHaveProperty("error");
  });

  test("a throw: exit code 1, no result, error is the stderr (with the user's line)", async () => {
    const answer = await execute(id, { code: 'const a = 1;\nthrow new Error("boom")' });
    expect(answer).toMatchObject({ success: true, exitCode: 1, killed: false, result: null, stdout: "" });
    expect(answer.stderr).toMatch(/^Error: boom\n\s+at <code>:2:/);
    expect(answer.error).toBe(answer.stderr);
  });

  test("a throw inside an awaited last expression, and a syntax error", async () => {
    const rejected = await execute(id, { code: "await Promise.reject(new TypeError('nope'))" });
    expect(rejected).toMatchObject({ exitCode: 1, result: null, error: expect.stringContaining("TypeError: nope") });
    const broken = await execute(id, { code: "const = 1" });
    expect(broken).toMatchObject({ exitCode: 1, result: null, error: expect.stringContaining("SyntaxError") });
  });
});

describe("bash: agent-browser drives the session's browser", () => {
  test("open + get title, the page seen from node; snapshot refs; fill and click by ref; failures", async () => {
    const id = await createSession();
    try {
      const opened = await execute(id, {
        code: `agent-browser open ${site.origin}/page && agent-browser get title`,
        language: "bash",
      });
      expect(opened).toMatchObject({ success: true, exitCode: 0, killed: false, stderr: "" });
      expect(opened).not.toHaveProperty("error");
      expect(opened.stdout).toMatch(/Page One\n$/);
      // result carries the output for bash (the spec's node-only "last expression" has no bash counterpart).
      expect(opened.result).toBe(opened.stdout);
      // The same browser: node sees where agent-browser went.
      expect(await execute(id, { code: "page.url()" })).toMatchObject({ result: `${site.origin}/page` });

      const snapshot = await execute(id, { code: "agent-browser snapshot -i", language: "bash" });
      expect(snapshot.exitCode).toBe(0);
      const refOf = (role: string) =>
        new RegExp(`${role} "[^"]*" \\[ref=(e\\d+)\\]`).exec(String(snapshot.stdout))?.[1];
      const textbox = refOf("textbox");
      const button = refOf("button");
      expect([textbox, button]).toEqual([expect.stringMatching(/^e\d+$/), expect.stringMatching(/^e\d+$/)]);
      const acted = await execute(id, {
        code: `agent-browser fill @${textbox} "from bash" && agent-browser click @${button}`,
        language: "bash",
      });
      expect(acted).toMatchObject({ exitCode: 0 });
      expect(await execute(id, { code: "await page.title()" })).toMatchObject({ result: "clicked from bash" });

      const failing = await execute(id, { code: "agent-browser click @e999", language: "bash" });
      expect(failing).toMatchObject({ success: true, killed: false, result: "" });
      expect(failing.exitCode).not.toBe(0);
      expect(failing.error).toBe(failing.stderr);
      expect(String(failing.error)).toMatch(/e999/);
      // No stderr: the error still says the run failed.
      expect(await execute(id, { code: "exit 3", language: "bash" })).toMatchObject({
        exitCode: 3,
        error: "Execution failed",
      });

      // agent-browser keeps a daemon for the session between runs…
      expect(agentBrowserProcessesOf(id).length).toBeGreaterThan(0);
    } finally {
      expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);
    }
    // …which is gone once DELETE answers.
    expect(agentBrowserProcessesOf(id)).toEqual([]);
  });

  test("a timeout kills the bash run; the daemon goes when the session expires", async () => {
    const id = await createSession(emulator, { activityTtl: 10 });
    const started = Date.now();
    const hung = await execute(id, { code: "agent-browser get title && sleep 30", language: "bash", timeout: 2 });
    expect(hung).toMatchObject({ success: true, killed: true, exitCode: null });
    expect(hung.error).toMatch(/timed out after 2s/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(agentBrowserProcessesOf(id).length).toBeGreaterThan(0);
    await waitFor("the idle session to end", () => emulator.sessions().find((s) => s.id === id)?.endReason, 30_000);
    await waitFor("the daemon to be gone", () => agentBrowserProcessesOf(id).length === 0, 5_000);
  });

  test("SDK-style bodies: language bash (the SDK's default) and no language (the spec's default, node)", async () => {
    const id = await createSession();
    try {
      // The official SDK calls the /browser alias, sends "bash" when its caller gives no language, and an origin.
      const firecrawl = new Firecrawl({ apiKey: TEST_KEY, apiUrl: emulator.origin });
      const viaSdk = await firecrawl.browserExecute(id, { code: `agent-browser open ${site.origin}/other` });
      expect(viaSdk).toMatchObject({ success: true, exitCode: 0 });
      const bash = await call(emulator, "POST", `/browser/${id}/execute`, {
        body: { code: "agent-browser get title", language: "bash", origin: "js-sdk@4.42.0" },
      });
      expect(bash.body).toMatchObject({ success: true, exitCode: 0, stdout: "Other Page\n" });
      const node = await call(emulator, "POST", `/browser/${id}/execute`, { body: { code: "await page.title()" } });
      expect(node.body).toMatchObject({ success: true, exitCode: 0, result: "Other Page", stdout: "" });
    } finally {
      await call(emulator, "DELETE", `/interact/${id}`);
    }
    expect(agentBrowserProcessesOf(id)).toEqual([]);
  });

  test("close() stops the daemons of the sessions it ends", async () => {
    const own = await startSuiteEmulator("emulator.languages-close", { apiKey: TEST_KEY, warmPool: 0 });
    let id = "";
    try {
      id = await createSession(own);
      const ran = await execute(id, { code: "agent-browser get url", language: "bash" }, own);
      expect(ran).toMatchObject({ exitCode: 0, stdout: "about:blank\n" });
      expect(agentBrowserProcessesOf(id).length).toBeGreaterThan(0);
    } finally {
      await finishSuite("emulator.languages-close", own, processesBefore);
    }
    expect(agentBrowserProcessesOf(id)).toEqual([]);
  });
});

describe("python: Playwright for Python when python3 can import it, else a 400 saying what to install", () => {
  test(`this machine's python3 (${machinePythonHasPlaywright ? "has" : "lacks"} Playwright for Python)`, async () => {
    const id = await createSession();
    try {
      const code = `await page.goto(${JSON.stringify(`${site.origin}/page`)})\ntitle = await page.title()\nprint(title)`;
      const answer = await call(emulator, "POST", `/interact/${id}/execute`, { body: { code, language: "python" } });
      if (machinePythonHasPlaywright) {
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({
          success: true,
          stdout: "Page One\n",
          result: "Page One\n",
          stderr: "",
          exitCode: 0,
          killed: false,
          truncated: false,
        });
        // The same tab as node's `page`.
        expect(await execute(id, { code: "page.url()" })).toMatchObject({ result: `${site.origin}/page` });
        const raised = await execute(id, { code: "x = 1\nraise ValueError('bad value')", language: "python" });
        expect(raised).toMatchObject({ success: true, exitCode: 1, killed: false, stdout: "" });
        expect(raised.stderr).toMatch(/File "<code>", line 2.*\n.*raise ValueError/);
        expect(raised.error).toBe(raised.stderr);
        const hung = await execute(id, { code: "await asyncio.sleep(60)", language: "python", timeout: 2 });
        expect(hung).toMatchObject({ killed: true, exitCode: null });
      } else {
        expect([answer.status, answer.body.code]).toEqual([400, "unsupported_language"]);
        expect(answer.body.error).toContain("pip install playwright");
      }
    } finally {
      await call(emulator, "DELETE", `/interact/${id}`);
    }
    expect(pgrep(PYTHON_MARKER)).toEqual([]);
  });

  test("a python without Playwright → 400 unsupported_language naming `pip install playwright`", async () => {
    const id = await createSession(noPlaywright);
    try {
      const answer = await call(noPlaywright, "POST", `/interact/${id}/execute`, {
        body: { code: "print(1)", language: "python" },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        success: false,
        code: "unsupported_language",
        error: expect.stringContaining("pip install playwright"),
        details: { field: "language", rule: "enum", limit: ["node", "bash"] },
      });
      expect(answer.body.error).toMatch(/no browser download/);
      // Node still runs there.
      expect(await execute(id, { code: "1 + 1" }, noPlaywright)).toMatchObject({ result: "2" });
    } finally {
      await call(noPlaywright, "DELETE", `/interact/${id}`);
    }
  });

  test("the runner's marker is in the runner (so the leak check above can find its processes)", () => {
    expect(PYTHON_RUNNER).toContain(PYTHON_MARKER);
  });
});

describe("defaults as on Firecrawl's server", () => {
  test("execute: node, 30 s; sessions: ttl 600 s, activityTtl 300 s", () => {
    const create = operations.createBrowserSession.body.properties;
    expect([DEFAULT_EXECUTE_LANGUAGE, DEFAULT_EXECUTE_TIMEOUT_S]).toEqual(["node", 30]);
    expect([create.ttl.default, create.activityTtl.default]).toEqual([600, 300]);
  });
});

describe("410: execute in a destroyed session, in every language", () => {
  test.each(["node", "bash", "python"])("%s → 410 session_destroyed", async (language) => {
    const id = await createSession(noPlaywright);
    expect((await call(noPlaywright, "DELETE", `/interact/${id}`)).status).toBe(200);
    const answer = await call(noPlaywright, "POST", `/interact/${id}/execute`, { body: { code: "1", language } });
    expect([answer.status, answer.body.code]).toEqual([410, "session_destroyed"]);
  });
});
