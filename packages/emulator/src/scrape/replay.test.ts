import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator } from "../test-helpers/index.js";
import { startOptionsSite } from "../test-helpers/options-site.js";
import { REPLAY_FAILED, REPLAY_UNAVAILABLE } from "./interact.js";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startOptionsSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startOptionsSite();
  emulator = await startSuiteEmulator("emulator.scrape-replay", { warmPool: 1 });
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.scrape-replay", emulator, processesBefore);
});

const scrape = (body: Record<string, unknown>) => call(emulator, "POST", "/scrape", { body });
const interact = (jobId: string, body: Record<string, unknown>) =>
  call(emulator, "POST", `/scrape/${jobId}/interact`, { body });
const stop = (jobId: string) => call(emulator, "DELETE", `/scrape/${jobId}/interact`);
const scrapeIdOf = (answer: { body: Record<string, unknown> }) =>
  (answer.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;

describe("the first interact call replays the scrape in the session's one tab", () => {
  test("what the scrape's actions did (a script's window.marker, typed text) is there, in one tab; a tab they opened is gone", async () => {
    const url = `${site.origin}/layout`;
    const scraped = await scrape({
      url,
      waitFor: 100,
      formats: ["links"],
      actions: [
        { type: "executeJavascript", script: 'window.marker = "x"' },
        { type: "click", selector: "#name" },
        { type: "write", text: "Ada" },
        { type: "executeJavascript", script: "window.open('about:blank', '_blank'); 1" },
        { type: "screenshot" },
      ],
    });
    expect(scraped.status).toBe(200);
    const jobId = scrapeIdOf(scraped);
    const loads = () => site.requests.filter((request) => request.path === "/layout").length;
    const loadsAfterScrape = loads();
    const sessionsBefore = emulator.sessions().length;
    const first = await interact(jobId, {
      code: [
        "JSON.stringify({ marker: await page.evaluate(() => window.marker),",
        "  value: await page.evaluate(() => document.getElementById('name').value),",
        "  visible: await page.evaluate(() => document.visibilityState),",
        "  tabs: page.context().pages().map((tab) => tab.url()) })",
      ].join("\n"),
    });
    expect([first.status, first.body.exitCode]).toEqual([200, 0]);
    expect(JSON.parse(first.body.result as string)).toEqual({
      marker: "x",
      value: "Ada",
      visible: "visible",
      tabs: [url],
    });
    // The replay loaded the page once more; one session was opened for the job.
    expect(loads()).toBe(loadsAfterScrape + 1);
    expect(emulator.sessions().length).toBe(sessionsBefore + 1);
    const browser = await chromium.connectOverCDP(first.body.cdpUrl as string);
    try {
      expect(
        browser
          .contexts()[0]
          ?.pages()
          .map((page) => page.url()),
      ).toEqual([url]);
    } finally {
      await browser.close();
    }
    // Later calls reuse the session: no second replay.
    const second = await interact(jobId, { code: "await page.evaluate(() => window.marker)" });
    expect([second.body.result, second.body.cdpUrl, loads()]).toEqual(["x", first.body.cdpUrl, loadsAfterScrape + 1]);
    expect((await stop(jobId)).status).toBe(200);
  });

  test("a replay that fails answers Firecrawl's 409 and leaves no session behind", async () => {
    // The page counts its loads; the action throws on any load but the scrape's.
    const scraped = await scrape({
      url: `${site.origin}/visits`,
      formats: ["links"],
      actions: [
        {
          type: "executeJavascript",
          script: "const first = window.visit; if (first > 1) throw new Error('loaded again'); first",
        },
      ],
    });
    expect(scraped.status).toBe(200);
    const before = emulator.sessions().filter((session) => session.status === "active").length;
    const answer = await interact(scrapeIdOf(scraped), { code: "1" });
    expect([answer.status, answer.body]).toEqual([
      409,
      {
        success: false,
        code: "browser_failed",
        error: REPLAY_FAILED,
        details: { reason: "Action 1 (executeJavascript) failed: Error: loaded again" },
      },
    ]);
    expect(emulator.sessions().filter((session) => session.status === "active").length).toBe(before);
  });

  test("zeroDataRetention: interact is Firecrawl's 409 (nothing opened, nothing run) and the job's status a 404", async () => {
    const scraped = await scrape({ url: `${site.origin}/layout`, formats: ["links"], zeroDataRetention: true });
    expect(scraped.status).toBe(200);
    const jobId = scrapeIdOf(scraped);
    const sessionsBefore = emulator.sessions().length;
    const answer = await interact(jobId, { code: "console.log('should not run')" });
    expect([answer.status, answer.body]).toEqual([
      409,
      { success: false, code: "unavailable", error: REPLAY_UNAVAILABLE },
    ]);
    expect(answer.body.error).toContain("Replay context is unavailable");
    expect(emulator.sessions().length).toBe(sessionsBefore);
    const status = await call(emulator, "GET", `/scrape/${jobId}`);
    expect([status.status, status.body]).toEqual([404, { success: false, code: "not_found", error: "Job not found." }]);
  });
});

describe("GET /v2/scrape/{jobId}", () => {
  test("answers the scrape's own data, as Firecrawl keeps it; a website origin's scrape also carries scrape_id", async () => {
    const scraped = await scrape({
      url: `${site.origin}/layout`,
      formats: ["markdown", "links"],
      origin: "website-test",
    });
    expect(Object.keys(scraped.body)).toEqual(["success", "data", "scrape_id"]);
    const jobId = scrapeIdOf(scraped);
    expect(scraped.body.scrape_id).toBe(jobId);
    const status = await call(emulator, "GET", `/scrape/${jobId}`);
    expect([status.status, status.body]).toEqual([200, { success: true, data: scraped.body.data }]);
    // A trailing slash is the same route.
    expect((await call(emulator, "GET", `/scrape/${jobId}/`)).body).toEqual(status.body);
  });

  test("a job id that is not a UUID is Firecrawl's 400, an unknown job its 404, no key a 401", async () => {
    for (const id of ["None", "not-a-uuid", "00000000-0000-4000-8000-00000000000"]) {
      const answer = await call(emulator, "GET", `/scrape/${id}`);
      expect([id, answer.status, answer.body]).toEqual([
        id,
        400,
        {
          success: false,
          code: "BAD_REQUEST",
          error: "Invalid job ID format. Job ID must be a valid UUID.",
          details: { field: "jobId", rule: "format", limit: "uuid" },
        },
      ]);
    }
    const unknown = await call(emulator, "GET", `/scrape/${UNKNOWN_ID}`);
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { success: false, code: "not_found", error: "Job not found." },
    ]);
    const keyless = await call(emulator, "GET", `/scrape/${UNKNOWN_ID}`, { auth: null });
    expect([keyless.status, keyless.body.code]).toEqual([401, "unauthorized"]);
  });
});
