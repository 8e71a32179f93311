import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { startEmulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator, startTestSite } from "../test-helpers/index.js";
import { RECORDINGS_UNAVAILABLE } from "./session-routes.js";

const A = "Bearer fc-teams-test-a";
const B = "Bearer fc-teams-test-b";
const FORBIDDEN = { success: false, code: "forbidden", error: "Forbidden." };
const SESSION_NOT_FOUND = { success: false, code: "not_found", error: "Browser session not found." };
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite({ "/": "<!doctype html><title>team page</title><p>team page</p>" });
  emulator = await startSuiteEmulator("emulator.teams", {
    apiKeys: { "fc-teams-test-a": "team-a", "fc-teams-test-b": "team-b" },
    keylessScrape: true,
    warmPool: 1,
  });
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.teams", emulator, processesBefore);
});

const as = (auth: string) => ({
  call: (method: string, path: string, body?: unknown) => call(emulator, method, path, { auth, body }),
});

describe("sessions belong to the team of the key that made them", () => {
  test("another team neither lists, runs code in, reads nor ends it (403 Forbidden.); its own team does", async () => {
    const created = await as(A).call("POST", "/interact", {});
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    const listed = async (auth: string) =>
      ((await as(auth).call("GET", "/interact")).body.sessions as { id: string }[]).map((session) => session.id);
    expect(await listed(A)).toContain(id);
    expect(await listed(B)).not.toContain(id);
    for (const [method, path, body] of [
      ["POST", `/interact/${id}/execute`, { code: "1" }],
      ["GET", `/interact/${id}`],
      ["GET", `/interact/${id}/replay`],
      ["DELETE", `/interact/${id}`],
      ["DELETE", `/browser/${id}`],
    ] as const) {
      const answer = await as(B).call(method, path, body);
      expect([method, path, answer.status, answer.body]).toEqual([method, path, 403, FORBIDDEN]);
    }
    const status = await as(A).call("GET", `/interact/${id}`);
    expect([status.status, status.body]).toEqual([
      200,
      {
        success: true,
        id,
        status: "running",
        cdpUrl: created.body.cdpUrl,
        liveViewUrl: created.body.liveViewUrl,
        interactiveLiveViewUrl: created.body.interactiveLiveViewUrl,
      },
    ]);
    const ran = await as(A).call("POST", `/interact/${id}/execute`, { code: "1 + 1" });
    expect([ran.status, ran.body.result]).toEqual([200, "2"]);
    expect((await as(A).call("DELETE", `/interact/${id}`)).status).toBe(200);
    const ended = await as(A).call("GET", `/browser/${id}`);
    expect(ended.body).toEqual({
      success: true,
      id,
      status: "stopped",
      cdpUrl: created.body.cdpUrl,
      liveViewUrl: created.body.liveViewUrl,
      interactiveLiveViewUrl: created.body.interactiveLiveViewUrl,
      sessionDurationMs: expect.any(Number),
      creditsBilled: 0,
    });
    // The ended session is still the other team's business only.
    expect((await as(B).call("GET", `/interact/${id}`)).status).toBe(403);
  });

  test("status and replay of an unknown session are 404 Browser session not found.; recordings are a 501 that says why", async () => {
    expect((await as(A).call("GET", `/interact/${UNKNOWN_ID}`)).body).toEqual(SESSION_NOT_FOUND);
    expect((await as(A).call("GET", `/interact/${UNKNOWN_ID}/replay`)).body).toEqual(SESSION_NOT_FOUND);
    expect((await as(A).call("GET", `/interact/${UNKNOWN_ID}/replay/0`)).body).toEqual(SESSION_NOT_FOUND);
    const invalidPage = await as(A).call("GET", `/interact/${UNKNOWN_ID}/replay/first`);
    expect([invalidPage.status, invalidPage.body]).toEqual([
      400,
      { success: false, code: "BAD_REQUEST", error: "Invalid pageId." },
    ]);
    const created = await as(A).call("POST", "/interact", {});
    const id = created.body.id as string;
    for (const path of [`/interact/${id}/replay`, `/interact/${id}/replay/0`, `/browser/${id}/replay`]) {
      const answer = await as(A).call("GET", path);
      expect([path, answer.status, answer.body]).toEqual([
        path,
        501,
        { success: false, code: "unavailable", error: RECORDINGS_UNAVAILABLE },
      ]);
    }
    expect((await as(A).call("DELETE", `/interact/${id}`)).status).toBe(200);
    expect((await as(A).call("GET", `/interact/${id}`, undefined)).status).toBe(200);
    expect((await call(emulator, "GET", `/interact/${id}`, { auth: "Bearer fc-unknown" })).status).toBe(401);
  });
});

describe("scrapes belong to the team of the key that made them", () => {
  test("another team can neither interact with, stop nor read a scrape; a keyless scrape is no key's team's", async () => {
    const scraped = await as(A).call("POST", "/scrape", { url: site.origin, formats: ["links"] });
    const jobId = (scraped.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
    expect([(await as(B).call("POST", `/scrape/${jobId}/interact`, { code: "1" })).body]).toEqual([FORBIDDEN]);
    expect((await as(B).call("DELETE", `/scrape/${jobId}/interact`)).body).toEqual(FORBIDDEN);
    const status = await as(B).call("GET", `/scrape/${jobId}`);
    expect([status.status, status.body]).toEqual([
      403,
      { success: false, code: "forbidden", error: "You are not allowed to access this resource." },
    ]);
    expect(emulator.sessions().filter((session) => session.status === "active")).toHaveLength(0);
    const own = await as(A).call("POST", `/scrape/${jobId}/interact`, { code: "await page.title()" });
    expect([own.status, own.body.result]).toEqual([200, "team page"]);
    expect((await as(A).call("GET", `/scrape/${jobId}`)).status).toBe(200);
    expect((await as(A).call("DELETE", `/scrape/${jobId}/interact`)).status).toBe(200);

    const keyless = await call(emulator, "POST", "/scrape", {
      auth: null,
      body: { url: site.origin, formats: ["links"] },
    });
    const keylessId = (keyless.body.data as { metadata: { scrapeId: string } }).metadata.scrapeId;
    expect((await as(A).call("POST", `/scrape/${keylessId}/interact`, { code: "1" })).body).toEqual(FORBIDDEN);
  });
});

describe("profiles belong to the team of the key that made them", () => {
  test("two teams' profiles of one name are two profiles: each saves and reads its own, both save at once", async () => {
    const profile = { name: "shared-name", saveChanges: true };
    const open = async (auth: string) => {
      const created = await as(auth).call("POST", "/interact", { profile });
      expect(created.status).toBe(200);
      return created.body.id as string;
    };
    const run = async (auth: string, id: string, code: string) =>
      (await as(auth).call("POST", `/interact/${id}/execute`, { code })).body.result;
    // Both teams hold a saving session on the name at once: no 409, the profiles are not the same.
    const [a, b] = [await open(A), await open(B)];
    const write = (who: string) =>
      `await page.goto(${JSON.stringify(site.origin)}); await page.evaluate(() => localStorage.setItem("who", "${who}")); 1`;
    await run(A, a, write("a"));
    await run(B, b, write("b"));
    expect((await as(A).call("DELETE", `/interact/${a}`)).status).toBe(200);
    expect((await as(B).call("DELETE", `/interact/${b}`)).status).toBe(200);
    const read = `await page.goto(${JSON.stringify(site.origin)}); await page.evaluate(() => localStorage.getItem("who"))`;
    for (const [auth, expected] of [
      [A, "a"],
      [B, "b"],
    ] as const) {
      const id = await open(auth);
      expect(await run(auth, id, read)).toBe(expected);
      expect((await as(auth).call("DELETE", `/interact/${id}`)).status).toBe(200);
    }
    // Within a team the one-saving-session rule still holds.
    const first = await open(A);
    const second = await as(A).call("POST", "/interact", { profile });
    expect([second.status, second.body.code]).toEqual([409, "profile_busy"]);
    expect((await as(A).call("DELETE", `/interact/${first}`)).status).toBe(200);
  });
});

describe("apiKeys at start", () => {
  test("apiKey and apiKeys together are refused before anything launches", async () => {
    await expect(startEmulator({ quiet: true, apiKey: "fc-x", apiKeys: { "fc-y": "y" } })).rejects.toThrow(
      "Give the emulator apiKey or apiKeys, not both",
    );
  });
});
