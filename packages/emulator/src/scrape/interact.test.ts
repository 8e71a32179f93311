import { existsSync } from "node:fs";
import { operations, validateRequest } from "firecrawl-interact/core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { processGroupMembers } from "../browser/processes.js";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, LiveViewClient, startSuiteEmulator } from "../test-helpers/index.js";
import { startScrapeSite } from "../test-helpers/scrape-site.js";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startScrapeSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startScrapeSite();
  // Three first calls below run their code at once in the job's one session: past the default cap of 2.
  emulator = await startSuiteEmulator("emulator.scrape-interact", { warmPool: 1, maxConcurrentRunsPerSession: 3 });
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.scrape-interact", emulator, processesBefore);
});

async function scrapeId(path: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(emulator, "POST", "/scrape", { body: { url: `${site.origin}${path}`, ...extra } });
  expect(answer.status).toBe(200);
  return (answer.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
}

const interact = (jobId: string, body: Record<string, unknown>) =>
  call(emulator, "POST", `/scrape/${jobId}/interact`, { body });
const sessionIdOf = (cdpUrl: unknown) => /\/cdp\/([^?]+)\?/.exec(String(cdpUrl))?.[1];

describe("scrape → interact with code → reuse → stop", () => {
  test("the session opens at the scraped page with its cookie and localStorage, and is reused until DELETE", async () => {
    const jobId = await scrapeId("/article");
    const sessionsBefore = emulator.sessions().length;
    const first = await interact(jobId, {
      code: [
        "await page.evaluate(() => { window.marker = 42; });",
        "console.log(JSON.stringify({ url: page.url(), title: await page.title(),",
        "  cookie: await page.evaluate(() => document.cookie),",
        '  visits: await page.evaluate(() => localStorage.getItem("visits")) }));',
      ].join("\n"),
    });
    expect(first.status).toBe(200);
    const origin = emulator.origin;
    const sessionId = sessionIdOf(first.body.cdpUrl) as string;
    const printed = `${JSON.stringify({
      url: `${site.origin}/article`,
      title: "Scrape fixture",
      // The scrape's cookie (v1), not a fresh one: the reopened page sent it.
      cookie: "visit=v1",
      // The scrape's localStorage (1), then the page's own script counted this load.
      visits: "2",
    })}\n`;
    expect(first.body).toMatchObject({
      success: true,
      cdpUrl: expect.stringMatching(
        new RegExp(`^${origin.replace("http", "ws")}/cdp/${sessionId}\\?token=[\\w-]{32}$`),
      ),
      liveViewUrl: expect.stringMatching(new RegExp(`^${origin}/live/${sessionId}\\?token=[\\w-]{32}$`)),
      // Its own token: the read-only one grants no input.
      interactiveLiveViewUrl: expect.stringMatching(
        new RegExp(`^${origin}/live/${sessionId}\\?token=[\\w-]{32}&interactive=true$`),
      ),
      output: null,
      // The run's own fields are execute's (POST /interact/{id}/execute answers the same code the same way).
      stdout: printed,
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    });
    expect(first.body).toHaveProperty("result");
    expect(first.body.error ?? null).toBeNull();
    expect(Object.keys(first.body).slice(0, 5)).toEqual([
      "success",
      "cdpUrl",
      "liveViewUrl",
      "interactiveLiveViewUrl",
      "output",
    ]);
    expect(site.requests.filter((request) => request.path === "/article").at(-1)).toEqual({
      path: "/article",
      cookie: "visit=v1",
    });
    expect(emulator.sessions().length).toBe(sessionsBefore + 1);

    // A normal emulator session: listed, live-viewable, reachable over CDP.
    const listed = (await call(emulator, "GET", "/interact?status=active")).body.sessions as { id: string }[];
    expect(listed.map((session) => session.id)).toContain(sessionId);
    const viewer = new LiveViewClient(first.body.interactiveLiveViewUrl as string);
    const frame = await viewer.nextFrame();
    expect([...frame.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await viewer.message("ready")).toEqual({ type: "ready", interactive: true });
    const browser = await chromium.connectOverCDP(first.body.cdpUrl as string);
    try {
      expect(
        browser
          .contexts()[0]
          ?.pages()
          .map((page) => page.url()),
      ).toEqual([`${site.origin}/article`]);
    } finally {
      await browser.close();
    }

    // The second call runs in the same browser, with the state the first left.
    const second = await interact(jobId, {
      code: "console.log(await page.evaluate(() => window.marker))",
      language: "node",
      timeout: 10,
    });
    expect(second.body).toMatchObject({ success: true, stdout: "42\n", cdpUrl: first.body.cdpUrl });
    expect(emulator.sessions().length).toBe(sessionsBefore + 1);

    const failed = await interact(jobId, { code: 'throw new Error("boom")' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      exitCode: 1,
      error: expect.stringContaining("boom"),
      output: null,
      cdpUrl: first.body.cdpUrl,
    });

    const info = emulator.sessions().find((session) => session.id === sessionId);
    if (!info) throw new Error("the job's session is not known");
    const stopped = await call(emulator, "DELETE", `/scrape/${jobId}/interact`);
    expect([stopped.status, stopped.body]).toEqual([200, { success: true }]);
    expect(emulator.sessions().find((session) => session.id === sessionId)).toMatchObject({
      status: "destroyed",
      endReason: "deleted",
    });
    expect(processGroupMembers(info.pid)).toEqual([]);
    expect(existsSync(info.userDataDir)).toBe(false);
    expect(await viewer.message("ended")).toEqual({ type: "ended", reason: "deleted" });
    await viewer.close();

    const again = await interact(jobId, { code: "1" });
    expect([again.status, again.body]).toEqual([
      410,
      {
        success: false,
        code: "session_destroyed",
        error: "Browser session has been destroyed.",
        details: { reason: "deleted" },
      },
    ]);
    const stopAgain = await call(emulator, "DELETE", `/scrape/${jobId}/interact`);
    expect([stopAgain.status, stopAgain.body]).toEqual([
      404,
      { success: false, code: "not_found", error: "Browser session not found." },
    ]);
  });

  test("concurrent first calls share one session", async () => {
    const jobId = await scrapeId("/button");
    const before = emulator.sessions().length;
    const answers = await Promise.all([1, 2, 3].map((n) => interact(jobId, { code: `console.log(${n})` })));
    expect(answers.map((answer) => [answer.status, answer.body.stdout])).toEqual([
      [200, "1\n"],
      [200, "2\n"],
      [200, "3\n"],
    ]);
    expect(new Set(answers.map((answer) => answer.body.cdpUrl)).size).toBe(1);
    expect(emulator.sessions().length).toBe(before + 1);
    expect((await call(emulator, "DELETE", `/scrape/${jobId}/interact`)).status).toBe(200);
  });

  test("a session ended another way (DELETE /interact/{id}) makes the job's next call a 410", async () => {
    const jobId = await scrapeId("/about");
    const opened = await interact(jobId, { code: "return 1" });
    const sessionId = sessionIdOf(opened.body.cdpUrl);
    expect((await call(emulator, "DELETE", `/interact/${sessionId}`)).status).toBe(200);
    expect((await interact(jobId, { code: "1" })).status).toBe(410);
  });
});

describe("errors of the scrape-bound calls", () => {
  test("unknown jobs are 404 Job not found. for POST and DELETE", async () => {
    const notFound = { success: false, error: "Job not found.", code: "not_found" };
    const posted = await interact(UNKNOWN_ID, { code: "1" });
    expect([posted.status, posted.body]).toEqual([404, notFound]);
    const deleted = await call(emulator, "DELETE", `/scrape/${UNKNOWN_ID}/interact`);
    expect([deleted.status, deleted.body]).toEqual([404, notFound]);
  });

  test("a known job with code and prompt, or neither, is a 400 and opens nothing; DELETE before any call is a 404", async () => {
    const jobId = await scrapeId("/about");
    const before = emulator.sessions().length;
    for (const body of [{ code: "1", prompt: "click" }, {}]) {
      const answer = await interact(jobId, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ success: false, details: { field: "body", rule: "oneOf" } });
      expect(answer.body.error).toBe(
        (() => {
          try {
            validateRequest(operations.interactWithScrapeBrowserSession, { body });
          } catch (error) {
            return (error as Error).message;
          }
        })(),
      );
    }
    const stopped = await call(emulator, "DELETE", `/scrape/${jobId}/interact`);
    expect([stopped.status, stopped.body]).toEqual([
      404,
      { success: false, code: "not_found", error: "Browser session not found." },
    ]);
    expect(emulator.sessions().length).toBe(before);
  });
});

describe("profiles: the scrape's profile is what its interact session opens with", () => {
  test("state saved by a scrape's saving session is there in a later scrape and its session", async () => {
    const profile = { name: `scrape-profile-${Date.now()}`, saveChanges: true };
    const writer = await scrapeId("/about", { profile });
    const wrote = await interact(writer, {
      code: 'await page.evaluate(() => localStorage.setItem("profileCheck", "saved")); console.log("ok")',
    });
    expect(wrote.body).toMatchObject({ success: true, stdout: "ok\n" });
    // A second saving session on the profile while the first is open: 409, as with POST /interact.
    const rival = await scrapeId("/about", { profile });
    const busy = await interact(rival, { code: "1" });
    expect([busy.status, busy.body.code]).toEqual([409, "profile_busy"]);
    expect((await call(emulator, "DELETE", `/scrape/${writer}/interact`)).status).toBe(200);

    const reader = await scrapeId("/about", { profile: { name: profile.name, saveChanges: false } });
    const read = await interact(reader, {
      code: 'console.log(JSON.stringify(await page.evaluate(() => [localStorage.getItem("profileCheck"), document.cookie])))',
    });
    // The profile's localStorage, and the cookie the first scrape got (v-something) kept in the profile.
    expect(read.body).toMatchObject({ success: true });
    const [check, cookie] = JSON.parse(read.body.stdout as string) as [string, string];
    expect(check).toBe("saved");
    expect(cookie).toMatch(/^visit=v\d+$/);
    expect((await call(emulator, "DELETE", `/scrape/${reader}/interact`)).status).toBe(200);
  });
});
