import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  startSuiteEmulator,
  startTestSite,
  TEST_KEY,
} from "../test-helpers/index.js";

let strict: Emulator;
let keyless: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite({ "/": "<!doctype html><title>target</title><p>target</p>" });
  // No warm pool: a keyless call that got through would show as a launched Chromium in spawnedPids().
  [strict, keyless] = await Promise.all([
    startSuiteEmulator("emulator.key-strict", { apiKey: TEST_KEY, warmPool: 0 }),
    startSuiteEmulator("emulator.key-keyless", { apiKey: TEST_KEY, warmPool: 0, keylessScrape: true }),
  ]);
});

afterAll(async () => {
  await site?.close();
  await Promise.all([
    finishSuite("emulator.key-strict", strict, processesBefore),
    finishSuite("emulator.key-keyless", keyless, processesBefore),
  ]);
});

const UNAUTHORIZED = { success: false, error: "Unauthorized: missing or invalid API key", code: "unauthorized" };
const CODE = { code: "await page.title()", language: "node" };

/** Scrapes the test site with the key and returns the job id. */
async function scrapeWithKey(emulator: Emulator): Promise<string> {
  const scraped = await call(emulator, "POST", "/scrape", { body: { url: site.origin, formats: ["links"] } });
  expect(scraped.status).toBe(200);
  return (scraped.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
}

describe("with apiKey set, no code runs without the key", () => {
  test("default: a keyless scrape is a 401 that launches nothing, and so is a keyless interact on a real job", async () => {
    const scraped = await call(strict, "POST", "/scrape", { auth: null, body: { url: site.origin } });
    expect([scraped.status, scraped.body]).toEqual([401, UNAUTHORIZED]);
    expect(strict.spawnedPids()).toEqual([]);

    const jobId = await scrapeWithKey(strict);
    const launchedByScrape = strict.spawnedPids().length;
    const interacted = await call(strict, "POST", `/scrape/${jobId}/interact`, { auth: null, body: CODE });
    expect([interacted.status, interacted.body]).toEqual([401, UNAUTHORIZED]);
    const stopped = await call(strict, "DELETE", `/scrape/${jobId}/interact`, { auth: null });
    expect([stopped.status, stopped.body]).toEqual([401, UNAUTHORIZED]);
    // No session was opened for the job, and no browser launched after the scrape's.
    expect(strict.sessions()).toEqual([]);
    expect(strict.spawnedPids().length).toBe(launchedByScrape);
  });

  test("keylessScrape: a keyless scrape is served, but its interaction (code) and stop still need the key", async () => {
    const scraped = await call(keyless, "POST", "/scrape", {
      auth: null,
      body: { url: site.origin, formats: ["links"] },
    });
    expect([scraped.status, scraped.body.success]).toEqual([200, true]);
    const jobId = (scraped.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
    // A key that is sent must be right, even for the keyless scrape.
    const wrong = await call(keyless, "POST", "/scrape", { auth: "Bearer fc-wrong", body: { url: site.origin } });
    expect([wrong.status, wrong.body]).toEqual([401, UNAUTHORIZED]);

    const interacted = await call(keyless, "POST", `/scrape/${jobId}/interact`, { auth: null, body: CODE });
    expect([interacted.status, interacted.body]).toEqual([401, UNAUTHORIZED]);
    expect(keyless.sessions()).toEqual([]);
    const stopped = await call(keyless, "DELETE", `/scrape/${jobId}/interact`, { auth: null });
    expect([stopped.status, stopped.body]).toEqual([401, UNAUTHORIZED]);

    // With the key, the same job's interaction runs.
    const run = await call(keyless, "POST", `/scrape/${jobId}/interact`, { body: CODE });
    expect([run.status, run.body.success, run.body.result]).toEqual([200, true, "target"]);
    expect((await call(keyless, "DELETE", `/scrape/${jobId}/interact`)).status).toBe(200);
  });

  test("keylessScrape opens nothing else: create, list, execute and delete still need the key", async () => {
    const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
    const calls: [string, string, unknown?][] = [
      ["POST", "/interact", {}],
      ["GET", "/interact"],
      ["POST", `/interact/${UNKNOWN_ID}/execute`, { code: "1" }],
      ["DELETE", `/interact/${UNKNOWN_ID}`],
      ["POST", "/browser", {}],
    ];
    for (const [method, path, body] of calls) {
      const answer = await call(keyless, method, path, { auth: null, body });
      expect([method, path, answer.status, answer.body]).toEqual([method, path, 401, UNAUTHORIZED]);
    }
  });
});
