import { createInteractClient, InteractApiError } from "firecrawl-interact";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator, TEST_KEY } from "../test-helpers/index.js";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
let emulator: Emulator;

const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  emulator = await startSuiteEmulator("emulator.faults", { apiKey: TEST_KEY, warmPool: 0, faults: true });
});

afterAll(() => finishSuite("emulator.faults", emulator, processesBefore));

describe("fault injection", () => {
  const faults = (method: string, body?: unknown, auth?: string | null) =>
    call({ url: emulator.origin }, method, "/__emulator/faults", { body, auth });

  test("the admin route needs the key and a valid spec", async () => {
    expect((await faults("POST", { operationId: "listBrowserSessions", status: 502 }, null)).status).toBe(401);
    const bad = await faults("POST", { operationId: "scrape", status: 502 });
    expect([bad.status, bad.body.code, (bad.body.details as { field: string }).field]).toEqual([
      400,
      "BAD_REQUEST",
      "operationId",
    ]);
    expect((await faults("GET")).body).toEqual({ success: true, pending: [] });
  });

  test("the next N creates fail with 429 and Retry-After, on /interact and its /browser alias, then calls succeed", async () => {
    const added = await faults("POST", { operationId: "createBrowserSession", count: 2, status: 429, retryAfter: 7 });
    expect(added.body.pending).toEqual([
      {
        operationId: "createBrowserSession",
        count: 2,
        spec: { operationId: "createBrowserSession", count: 2, status: 429, retryAfter: 7 },
      },
    ]);
    for (const path of ["/interact", "/browser"]) {
      const answer = await call(emulator, "POST", path, { body: {} });
      expect([answer.status, answer.headers.get("retry-after"), answer.body.code]).toEqual([429, "7", "rate_limited"]);
    }
    const created = await call(emulator, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    expect((await call(emulator, "DELETE", `/interact/${created.body.id}`)).status).toBe(200);
  });

  test("injectFault: 502 once, then delays and dropped connections, seen through the typed client", async () => {
    const client = createInteractClient({ apiKey: TEST_KEY, baseUrl: emulator.url });
    emulator.injectFault({ operationId: "listBrowserSessions", status: 502 });
    const failed = await client.listSessions().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(InteractApiError);
    expect(failed).toMatchObject({ status: 502, code: "browser_failed" });
    expect((await client.listSessions()).success).toBe(true);

    emulator.injectFault({ operationId: "listBrowserSessions", status: 429, retryAfter: 3 });
    expect(await client.listSessions().catch((error: unknown) => error)).toMatchObject({
      status: 429,
      code: "rate_limited",
      retryAfterMs: 3000,
    });

    emulator.injectFault({ operationId: "listBrowserSessions", delayMs: 400 });
    const started = performance.now();
    expect((await client.listSessions()).success).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);

    emulator.injectFault({ operationId: "deleteBrowserSession", drop: true });
    expect(await client.deleteSession(UNKNOWN_ID).catch((error: unknown) => error)).toMatchObject({
      status: 0,
      code: "network_error",
    });
    expect((await faults("GET")).body.pending).toEqual([]);

    emulator.injectFault({ operationId: "deleteBrowserSession", status: 504, count: 3 });
    expect((await faults("DELETE")).body).toEqual({ success: true, pending: [] });
    expect((await call(emulator, "DELETE", `/interact/${UNKNOWN_ID}`)).status).toBe(404);
  });

  test("faults apply to the scrape-bound operations too", async () => {
    emulator.injectFault({ operationId: "stopInteractiveScrapeBrowserSession", status: 502 });
    const failed = await call(emulator, "DELETE", `/scrape/${UNKNOWN_ID}/interact`);
    expect([failed.status, failed.body]).toEqual([
      502,
      {
        success: false,
        error: "Injected fault: 502 for stopInteractiveScrapeBrowserSession",
        code: "browser_failed",
      },
    ]);
    const after = await call(emulator, "DELETE", `/scrape/${UNKNOWN_ID}/interact`);
    expect([after.status, after.body]).toEqual([404, { success: false, error: "Job not found.", code: "not_found" }]);
  });

  test("without faults: true the admin route does not exist", async () => {
    const plain = await startEmulator({ quiet: true, warmPool: 0 });
    try {
      expect((await call({ url: plain.origin }, "POST", "/__emulator/faults", { body: {} })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
