import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator } from "../test-helpers/index.js";
import { startScrapeSite } from "../test-helpers/scrape-site.js";
import type { EmulatorAgent, EmulatorAgentInput } from "./prompt-agent.js";

let emulator: Emulator;
let bare: Emulator;
let site: Awaited<ReturnType<typeof startScrapeSite>>;
// Each test plugs its own agent in behind the emulator's one.
let agent: EmulatorAgent = async () => ({ output: "" });
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startScrapeSite();
  [emulator, bare] = await Promise.all([
    startSuiteEmulator("emulator.agent", { warmPool: 1, agent: (input) => agent(input) }),
    // No agent, no warm pool: what a prompt launches there is visible in spawnedPids().
    startSuiteEmulator("emulator.agent-none", { warmPool: 0 }),
  ]);
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  await Promise.all([
    finishSuite("emulator.agent", emulator, processesBefore),
    finishSuite("emulator.agent-none", bare, processesBefore),
  ]);
});

async function scrapeId(on: Emulator, path: string): Promise<string> {
  const answer = await call(on, "POST", "/scrape", { body: { url: `${site.origin}${path}` } });
  expect(answer.status).toBe(200);
  return (answer.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
}

const interact = (jobId: string, body: Record<string, unknown>) =>
  call(emulator, "POST", `/scrape/${jobId}/interact`, { body });
const sessionIdOf = (cdpUrl: unknown) => /\/cdp\/([^?]+)\?/.exec(String(cdpUrl))?.[1];

describe("prompt mode with an agent plugged in", () => {
  let jobId: string;

  beforeAll(async () => {
    jobId = await scrapeId(emulator, "/button");
  });

  afterAll(async () => {
    await call(emulator, "DELETE", `/scrape/${jobId}/interact`);
  });

  test("the agent gets Playwright on the scraped page; its output is the answer's output", async () => {
    const seen: Record<string, unknown>[] = [];
    agent = async ({ prompt, page, context, browser, sessionId, signal }: EmulatorAgentInput) => {
      seen.push({
        prompt,
        url: page.url(),
        sessionId,
        aborted: signal.aborted,
        pageInContext: context.pages().includes(page),
        connected: browser.isConnected(),
      });
      await page.click("#b");
      return { output: `Title after click: ${await page.title()}`, result: "snapshot of the page" };
    };
    const answer = await interact(jobId, { prompt: "Click the button and tell me the title" });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      success: true,
      cdpUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/cdp\//),
      liveViewUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/live\//),
      // Its own token: the read-only one grants no input.
      interactiveLiveViewUrl: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:\d+\/live\/[\w-]+\?token=[\w-]{32}&interactive=true$/,
      ),
      output: "Title after click: clicked 1",
      stdout: "",
      result: "snapshot of the page",
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    });
    expect(seen).toEqual([
      {
        prompt: "Click the button and tell me the title",
        url: `${site.origin}/button`,
        sessionId: sessionIdOf(answer.body.cdpUrl),
        aborted: false,
        pageInContext: true,
        connected: true,
      },
    ]);
    // The agent's clicks stay in the session: code sees them, in the same browser.
    const code = await interact(jobId, { code: "console.log(await page.title())" });
    expect(code.body).toMatchObject({ stdout: "clicked 1\n", cdpUrl: answer.body.cdpUrl, output: null });
    // Without a result the answer's result is null.
    agent = async () => ({ output: "done" });
    expect((await interact(jobId, { prompt: "again" })).body).toMatchObject({ output: "done", result: null });
  });

  test("an agent that throws is a failed run: 200, exit code 1, the error and its stack", async () => {
    agent = async () => {
      throw new Error("LLM unavailable");
    };
    const answer = await interact(jobId, { prompt: "anything" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      success: true,
      output: null,
      result: null,
      stdout: "",
      exitCode: 1,
      killed: false,
      error: "LLM unavailable",
    });
    expect(answer.body.stderr).toMatch(/^Error: LLM unavailable\n\s+at /);
  });

  test("timeout: the signal aborts and the answer is killed, whether or not the agent stops", async () => {
    const reasons: unknown[] = [];
    agent = ({ signal }) =>
      new Promise((_, reject) => {
        signal.addEventListener("abort", () => {
          reasons.push((signal.reason as Error).message);
          reject(signal.reason);
        });
      });
    let started = Date.now();
    const honouring = await interact(jobId, { prompt: "wait forever", timeout: 1 });
    expect(Date.now() - started).toBeLessThan(8_000);
    const killed = {
      success: true,
      output: null,
      result: null,
      stdout: "",
      stderr: "",
      exitCode: null,
      killed: true,
      truncated: false,
      error: "The agent did not finish within 1s and was aborted",
    };
    expect([honouring.status, honouring.body]).toEqual([200, expect.objectContaining(killed)]);
    expect(reasons).toEqual(["The agent did not finish within 1s and was aborted"]);

    agent = () => new Promise(() => undefined);
    started = Date.now();
    const ignoring = await interact(jobId, { prompt: "hang and ignore the signal", timeout: 2 });
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(ignoring.body).toMatchObject({ ...killed, error: "The agent did not finish within 2s and was aborted" });

    // The session survives a killed agent.
    const after = await interact(jobId, { code: "console.log(await page.title())" });
    expect(after.body).toMatchObject({ stdout: "clicked 1\n", exitCode: 0 });
  });

  test("an agent that answers something other than { output: string } → 502 agent_failed", async () => {
    agent = async () => ({ answer: "wrong field" }) as never;
    const answer = await interact(jobId, { prompt: "anything" });
    expect([answer.status, answer.body]).toEqual([
      502,
      {
        success: false,
        code: "agent_failed",
        error: "The emulator's agent answered object instead of { output: string, result?: string }",
      },
    ]);
  });
});

test("the session ending while the agent runs answers killed at once", async () => {
  const jobId = await scrapeId(emulator, "/about");
  agent = () => new Promise(() => undefined);
  const opened = await interact(jobId, { code: "console.log(1)" });
  const running = interact(jobId, { prompt: "hang", timeout: 120 });
  const sessionId = sessionIdOf(opened.body.cdpUrl) as string;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = Date.now();
  expect((await call(emulator, "DELETE", `/scrape/${jobId}/interact`)).status).toBe(200);
  const answer = await running;
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(answer.body).toMatchObject({
    killed: true,
    exitCode: null,
    error: "The session ended while the agent ran",
  });
  expect(emulator.sessions().find((session) => session.id === sessionId)?.status).toBe("destroyed");
});

describe("prompt mode without an agent", () => {
  test("a prompt is a 400 agent_not_configured that says how to plug one in; nothing is launched for it", async () => {
    const jobId = await scrapeId(bare, "/about");
    const launched = bare.spawnedPids().length;
    const answer = await call(bare, "POST", `/scrape/${jobId}/interact`, { body: { prompt: "click login" } });
    expect([answer.status, answer.body]).toEqual([
      400,
      {
        success: false,
        code: "agent_not_configured",
        error:
          "The emulator has no AI agent for prompts: start it with startEmulator({ agent }) to plug one in, or send code instead",
        details: { field: "prompt" },
      },
    ]);
    expect(bare.spawnedPids().length).toBe(launched);
    expect(bare.sessions()).toEqual([]);
    // code still works on that emulator.
    const code = await call(bare, "POST", `/scrape/${jobId}/interact`, { body: { code: "console.log(page.url())" } });
    expect(code.body).toMatchObject({ stdout: `${site.origin}/about\n`, exitCode: 0 });
    expect((await call(bare, "DELETE", `/scrape/${jobId}/interact`)).status).toBe(200);
  });
});
