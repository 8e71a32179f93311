import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { START_PAGE_PATH } from "./http/start-page.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator, startTestSite } from "./test-helpers/index.js";

const processesBefore = chromiumProcessCount();
let site: Awaited<ReturnType<typeof startTestSite>>;
const started: Emulator[] = [];

beforeAll(async () => {
  site = await startTestSite({ "/hello": "<!doctype html><title>Hello from the site</title>" });
});

afterAll(async () => {
  await site?.close();
  for (const emulator of started) await finishSuite("emulator.start-url", emulator, processesBefore);
});

async function emulatorOpeningOn(startUrl: string | undefined): Promise<Emulator> {
  const emulator = await startSuiteEmulator("emulator.start-url", { warmPool: 0, startUrl });
  started.push(emulator);
  return emulator;
}

/** Creates a session and reads its page's URL and title with execute, as a client would right after create. */
async function newSessionPage(emulator: Emulator): Promise<{ url: unknown; title: unknown }> {
  const created = await call(emulator, "POST", "/interact", { body: {} });
  expect(created.status).toBe(200);
  const id = String(created.body.id);
  const url = await call(emulator, "POST", `/interact/${id}/execute`, { body: { code: "page.url()" } });
  const title = await call(emulator, "POST", `/interact/${id}/execute`, { body: { code: "await page.title()" } });
  expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);
  return { url: url.body.result, title: title.body.result };
}

describe("startUrl: where a new session opens", () => {
  test("by default about:blank, as on Firecrawl", async () => {
    expect(await newSessionPage(await emulatorOpeningOn(undefined))).toEqual({ url: "about:blank", title: "" });
  });

  test("a path is on the emulator itself: START_PAGE_PATH opens its offline start page (startPageUrl)", async () => {
    const emulator = await emulatorOpeningOn(START_PAGE_PATH);
    expect(emulator.startPageUrl).toBe(`${emulator.origin}/__emulator/start`);
    expect(await newSessionPage(emulator)).toEqual({ url: emulator.startPageUrl, title: "Emulator start page" });
  });

  test("an http URL is opened as it is", async () => {
    const emulator = await emulatorOpeningOn(`${site.origin}/hello`);
    expect(await newSessionPage(emulator)).toEqual({ url: `${site.origin}/hello`, title: "Hello from the site" });
  });

  test.each(["javascript:alert(1)", "file:///etc/passwd", "//evil.example/x", "start"])(
    "%s fails the start with a TypeError",
    async (startUrl) => {
      await expect(startEmulator({ quiet: true, warmPool: 1, startUrl })).rejects.toThrow(
        new TypeError(
          `startUrl: ${JSON.stringify(startUrl)} is not about:blank, an http(s) URL or a path on the emulator like /__emulator/start`,
        ),
      );
    },
  );
});
