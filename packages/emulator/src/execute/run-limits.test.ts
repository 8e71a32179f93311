import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { type ApiAnswer, call, chromiumProcessCount, finishSuite, startSuiteEmulator } from "../test-helpers/index.js";
import { startScrapeSite } from "../test-helpers/scrape-site.js";
import type { EmulatorAgent } from "./prompt-agent.js";

// Node runners running the test's code rename themselves to this (it shows in /proc/<pid>/cmdline), unique per file.
const TITLE = `fci-cap-${process.pid}`;
// Code that marks its runner, keeps it running for a while, then answers "done".
const HOLD = `process.title = "${TITLE}"; await new Promise((resolve) => setTimeout(resolve, 2500)); "done"`;

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startScrapeSite>>;
// The agent waits until the test lets it go.
let agent: EmulatorAgent = async () => ({ output: "" });
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startScrapeSite();
  emulator = await startSuiteEmulator("emulator.run-limits", {
    warmPool: 2,
    maxConcurrentRuns: 3,
    maxConcurrentRunsPerSession: 2,
    agent: (input) => agent(input),
  });
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.run-limits", emulator, processesBefore);
  expect(markedRunners()).toBe(0);
});

/** Live processes whose command line is exactly {@link TITLE}, read from /proc. */
function markedRunners(): number {
  let count = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0] === TITLE) count++;
    } catch {
      // Gone while we looked.
    }
  }
  return count;
}

/** Runs `calls` at once while sampling the marked runners; answers with the calls' answers and the most seen. */
async function whileCounting(calls: (() => Promise<ApiAnswer>)[]) {
  let most = 0;
  const sampler = setInterval(() => {
    most = Math.max(most, markedRunners());
  }, 25);
  try {
    const answers = await Promise.all(calls.map((send) => send()));
    return { answers, most };
  } finally {
    clearInterval(sampler);
  }
}

async function createSession(): Promise<string> {
  const answer = await call(emulator, "POST", "/interact", { body: {} });
  expect(answer.status).toBe(200);
  return answer.body.id as string;
}

const execute = (id: string) => () => call(emulator, "POST", `/interact/${id}/execute`, { body: { code: HOLD } });
const statuses = (answers: ApiAnswer[]) => answers.map((answer) => answer.status).sort();
const refusals = (answers: ApiAnswer[]) =>
  answers
    .filter((answer) => answer.status !== 200)
    .map((answer) => ({ retryAfter: answer.headers.get("retry-after"), body: answer.body }));

const perSessionRefusal = {
  retryAfter: "1",
  body: {
    success: false,
    code: "rate_limited",
    error: "At most 2 runs may go on at once in a session",
    details: { maxConcurrentRunsPerSession: 2 },
  },
};

describe("caps on runs going on at once", () => {
  test("one more execute than the per-session cap: the cap succeed, the rest 429 with Retry-After", async () => {
    const id = await createSession();
    const { answers, most } = await whileCounting([execute(id), execute(id), execute(id)]);
    expect(statuses(answers)).toEqual([200, 200, 429]);
    expect(answers.filter((answer) => answer.status === 200).map((answer) => answer.body.result)).toEqual([
      "done",
      "done",
    ]);
    expect(refusals(answers)).toEqual([perSessionRefusal]);
    expect(most).toBe(2);
    // The slots come back once the runs end.
    expect((await call(emulator, "POST", `/interact/${id}/execute`, { body: { code: "1" } })).body.result).toBe("1");
    expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);
  });

  test("the total cap holds across sessions", async () => {
    const [first, second] = await Promise.all([createSession(), createSession()]);
    const { answers, most } = await whileCounting([execute(first), execute(first), execute(second), execute(second)]);
    expect(statuses(answers)).toEqual([200, 200, 200, 429]);
    expect(refusals(answers)).toEqual([
      {
        retryAfter: "1",
        body: {
          success: false,
          code: "rate_limited",
          error: "At most 3 runs may go on at once in the emulator",
          details: { maxConcurrentRuns: 3 },
        },
      },
    ]);
    expect(most).toBe(3);
    for (const id of [first, second]) expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);
  });

  test("prompt-agent runs and scrape-bound code count against the session's cap", async () => {
    const scraped = await call(emulator, "POST", "/scrape", { body: { url: `${site.origin}/button` } });
    const jobId = (scraped.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
    const interact = (body: Record<string, unknown>) => () =>
      call(emulator, "POST", `/scrape/${jobId}/interact`, { body });
    // Opens the job's session, so the calls below only run.
    expect((await interact({ code: "1" })()).status).toBe(200);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    agent = async () => {
      asked++;
      await released;
      return { output: "let go" };
    };
    const prompts = [interact({ prompt: "wait" })(), interact({ prompt: "wait" })()];
    await expect.poll(() => asked).toBe(2);
    const { answers, most } = await whileCounting([interact({ code: HOLD }), interact({ prompt: "third" })]);
    expect(refusals(answers)).toEqual([perSessionRefusal, perSessionRefusal]);
    expect([most, asked]).toEqual([0, 2]);
    release();
    expect((await Promise.all(prompts)).map((answer) => [answer.status, answer.body.output])).toEqual([
      [200, "let go"],
      [200, "let go"],
    ]);
    expect((await call(emulator, "DELETE", `/scrape/${jobId}/interact`)).status).toBe(200);
  });

  test.each([
    ["maxConcurrentRuns", 0],
    ["maxConcurrentRunsPerSession", 1.5],
  ])("%s: %s is refused at start", async (name, value) => {
    const starting = startEmulator({ quiet: true, warmPool: 0, [name]: value });
    try {
      await expect(starting).rejects.toThrow(`${name} must be a whole number of at least 1`);
    } finally {
      // Only if the caps were taken: never leave an emulator running.
      await starting.then((started) => started.close()).catch(() => undefined);
    }
  });
});
