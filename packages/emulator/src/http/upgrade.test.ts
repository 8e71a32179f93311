import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  LiveViewClient,
  startSuiteEmulator,
  startTestSite,
  TEST_KEY,
  waitFor,
} from "../test-helpers/index.js";
import { SITE_PAGES } from "../test-helpers/site.js";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite(SITE_PAGES);
  emulator = await startSuiteEmulator("emulator.live-tokens", { apiKey: TEST_KEY, warmPool: 0 });
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.live-tokens", emulator, processesBefore);
});

const tokenOf = (url: string) => new URL(url).searchParams.get("token");

/** What the page of a session says about the clicks it got, read through execute (the page's own state). */
async function clicksOf(sessionId: string): Promise<unknown> {
  const answer = await call(emulator, "POST", `/interact/${sessionId}/execute`, {
    body: { code: "JSON.stringify(await page.evaluate(() => window.clicks))", language: "node" },
  });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body.result as string);
}

describe("the read-only live view cannot be turned interactive", () => {
  test("read-only and interactive URLs carry different tokens; only the interactive token's input reaches the page", async () => {
    const created = await call(emulator, "POST", "/interact", { body: {} });
    expect(created.status).toBe(200);
    const { id, liveViewUrl, interactiveLiveViewUrl } = created.body as {
      id: string;
      liveViewUrl: string;
      interactiveLiveViewUrl: string;
    };
    expect(liveViewUrl).toMatch(new RegExp(`^${emulator.origin}/live/${id}\\?token=[\\w-]{32}$`));
    expect(interactiveLiveViewUrl).toMatch(
      new RegExp(`^${emulator.origin}/live/${id}\\?token=[\\w-]{32}&interactive=true$`),
    );
    expect(tokenOf(interactiveLiveViewUrl)).not.toBe(tokenOf(liveViewUrl));
    const loaded = await call(emulator, "POST", `/interact/${id}/execute`, {
      body: {
        code: `await page.goto(${JSON.stringify(`${site.origin}/button`)}); await page.title()`,
        language: "node",
      },
    });
    expect(loaded.body.result).toBe("clicked 0");

    // The read-only URL with interactive=true appended grants nothing.
    const forged = new LiveViewClient(`${liveViewUrl}&interactive=true`);
    expect(await forged.message("ready")).toEqual({ type: "ready", interactive: false });
    await forged.nextFrame();
    forged.click(640, 360);
    // Closing waits for the close handshake, so the server has handled every message the socket sent.
    await forged.close();
    expect(await clicksOf(id)).toEqual([]);

    // The interactive URL still works, and so does its token without the query flag.
    const viewer = new LiveViewClient(interactiveLiveViewUrl);
    expect(await viewer.message("ready")).toEqual({ type: "ready", interactive: true });
    await viewer.nextFrame();
    viewer.click(640, 360);
    await waitFor("the interactive click to land", async () => ((await clicksOf(id)) as unknown[]).length === 1);
    await viewer.close();
    const byToken = new LiveViewClient(interactiveLiveViewUrl.replace("&interactive=true", ""));
    expect(await byToken.message("ready")).toEqual({ type: "ready", interactive: true });
    await byToken.nextFrame();
    byToken.click(100, 100);
    await waitFor("the second click to land", async () => ((await clicksOf(id)) as unknown[]).length === 2);
    await byToken.close();
    expect(await clicksOf(id)).toEqual([
      [640, 360],
      [100, 100],
    ]);

    // Both tokens open the live-view page; a wrong one is a 403 on the page and on the socket.
    for (const url of [liveViewUrl, interactiveLiveViewUrl]) expect((await fetch(url)).status).toBe(200);
    const wrong = `${emulator.origin}/live/${id}?token=${"x".repeat(32)}&interactive=true`;
    const page = await fetch(wrong);
    expect([page.status, await page.json()]).toEqual([
      403,
      { success: false, error: "Invalid token", code: "forbidden" },
    ]);
    const refused = new LiveViewClient(wrong);
    await expect(refused.opened).rejects.toThrow("Unexpected server response: 403");
    expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);
  });
});
