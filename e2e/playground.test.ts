import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../playground/server.js";
import { isAlive, launchTestBrowser } from "./helpers/browser.js";
import { CLICKED_COLOR, IDLE_COLOR, serveTestPage } from "./helpers/pages.js";
import { centerColor, dominantShare, near } from "./helpers/pixels.js";
import { executeBox } from "./helpers/playground.js";
import { recordTraffic, type TrafficRecorder } from "./helpers/traffic.js";

const EMULATOR_KEY = "fc-e2e-playground-key-7c4d2a9e";
// Set PLAYGROUND_SCREENSHOTS=docs to refresh docs/playground.png (kept off in CI so tests don't dirty the tree).
const SCREENSHOT_DIR = process.env.PLAYGROUND_SCREENSHOTS;

describe("the playground in a real browser, on the emulator", () => {
  let playground: Playground;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let decoder: Page;
  let target: Awaited<ReturnType<typeof serveTestPage>>;
  let traffic: TrafficRecorder;
  const started = Date.now();

  beforeAll(async () => {
    [playground, browser, target] = await Promise.all([
      startPlayground({ port: 0, emulatorKey: EMULATOR_KEY, logLevel: "warn", emulator: { quiet: true } }),
      launchTestBrowser(),
      serveTestPage(),
    ]);
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    traffic = recordTraffic(context);
    page = await context.newPage();
    decoder = await browser.newPage();
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), playground?.close(), target?.close()]);
    console.info(`[e2e] playground flow took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const status = () => page.getByTestId("session-status");
  const viewState = () => page.getByTestId("view-state");
  const frame = (): Locator => page.locator(".live-view iframe");

  const execute = executeBox(() => page);

  /** Screenshots the embedded view until its centre has the expected colour. */
  async function waitForColor(expected: readonly number[]): Promise<Buffer> {
    let shot: Buffer = Buffer.alloc(0);
    await expect
      .poll(
        async () => {
          shot = await frame().screenshot();
          return near(await centerColor(decoder, shot), expected);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    return shot;
  }

  /** Waits until the embedded view shows a frame different from `previous`; returns it. */
  async function nextFrame(previous: Buffer): Promise<Buffer> {
    let shot = previous;
    await expect
      .poll(
        async () => {
          shot = await frame().screenshot();
          return shot.equals(previous);
        },
        { timeout: 30_000, interval: 150 },
      )
      .toBe(false);
    return shot;
  }

  async function clickViewCenter() {
    const box = await frame().boundingBox();
    if (!box) throw new Error("live view iframe has no box");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  it("starts a session, streams it, drives it, toggles read-only, stops it, and leaves nothing behind", async () => {
    await page.goto(playground.url);
    await expect.poll(() => page.getByTestId("banner").textContent(), { timeout: 60_000 }).toBe("local emulator");
    await expect.poll(() => status().textContent()).toBe("idle");

    await page.locator('input[name="ttl"]').fill("240");
    await page.locator('input[name="activityTtl"]').fill("120");
    await page.getByRole("button", { name: "Start session", exact: true }).click();
    await expect.poll(() => status().textContent(), { timeout: 60_000 }).toBe("live");
    await expect.poll(() => viewState().textContent(), { timeout: 60_000 }).toBe("live");
    const sessionId = (await page.getByTestId("session-id").textContent()) ?? "";
    // The proxy's handle for the developer: the emulator's session id and its signature.
    expect(sessionId).toMatch(/^[0-9a-f-]{36}-[0-9a-f]{32}$/);
    // The form's ttl reached the API: the emulator's expiresAt is at most four minutes away.
    expect(await page.getByTestId("countdown").textContent()).toMatch(/^(4:00|3:[0-5]\d) left$/);

    // A new session opens on the emulator's start page (a real page, not about:blank), shown in the view.
    await expect
      .poll(() => page.getByTestId("page-title").textContent(), { timeout: 60_000 })
      .toBe("Emulator start page");
    await expect
      .poll(async () => dominantShare(decoder, await frame().screenshot()), { timeout: 30_000 })
      .toBeLessThan(0.9);
    if (SCREENSHOT_DIR) {
      // Two frames later the page has settled (fonts, the clock) in the view.
      await nextFrame(await nextFrame(await frame().screenshot()));
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}/playground.png` });
    }

    // Navigate the remote browser with the execute box; the new page appears in the view.
    expect(
      await execute(`await page.goto(${JSON.stringify(target.url)});\nconsole.log(await page.title());`),
    ).toContain("e2e target page");
    const first = await waitForColor(IDLE_COLOR);
    // Live frames: the page's counter ticks, so the view keeps changing.
    const second = await nextFrame(first);
    await nextFrame(second);

    // Interactive: the same session in the interactive view; a click reaches the remote page.
    const readOnlySrc = await frame().getAttribute("src");
    await page.getByRole("button", { name: "Interactive", exact: true }).click();
    await expect.poll(() => frame().getAttribute("src")).not.toBe(readOnlySrc);
    expect(await frame().getAttribute("src")).toContain("interactive=true");
    await expect.poll(() => viewState().textContent(), { timeout: 30_000 }).toBe("live");
    expect(await page.getByTestId("session-id").textContent()).toBe(sessionId);
    // Click once the new view shows the page: before its first frame there is nothing to aim at.
    await waitForColor(IDLE_COLOR);
    await clickViewCenter();
    await waitForColor(CLICKED_COLOR);
    expect((await execute("console.log(await page.evaluate(() => window.clicks))")).split("\n")[0]).toBe("1");

    // Read-only: the click is ignored (it would flip the colour back and count a second click).
    await page.getByRole("button", { name: "Read-only", exact: true }).click();
    await expect.poll(() => frame().getAttribute("src")).toBe(readOnlySrc);
    await expect.poll(() => viewState().textContent(), { timeout: 30_000 }).toBe("live");
    const readOnlyShown = await waitForColor(CLICKED_COLOR);
    await clickViewCenter();
    // Two fresh frames after the click: the stream ran on, and the page still shows the clicked colour.
    const after = await nextFrame(await nextFrame(readOnlyShown));
    expect(near(await centerColor(decoder, after), CLICKED_COLOR)).toBe(true);
    expect((await execute("console.log(await page.evaluate(() => window.clicks))")).split("\n")[0]).toBe("1");

    // Stop: the lifecycle ends, the view shows it, the list shows the session destroyed.
    await page.getByRole("button", { name: "Stop session", exact: true }).click();
    await expect.poll(() => status().textContent()).toBe("ended");
    await expect.poll(() => viewState().textContent()).toBe("ended");
    expect(await frame().count()).toBe(0);
    const listed = page.locator(`[data-testid="session-list"] li[data-session-id="${sessionId}"]`);
    await expect.poll(() => listed.getAttribute("data-status"), { timeout: 30_000 }).toBe("destroyed");
    // The emulator knows the session by its own id: the handle without its signature.
    expect(playground.emulator?.sessions().map((session) => [session.id, session.status])).toEqual([
      [sessionId.slice(0, -33), "destroyed"],
    ]);

    // Close everything: no Chromium the emulator started is left.
    const pids = playground.emulator?.spawnedPids() ?? [];
    expect(pids.length).toBeGreaterThanOrEqual(1);
    await traffic.settle();
    await playground.close();
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  }, 240_000);

  it("never let the proxy's key reach the browser", async () => {
    await traffic.settle();
    expect(traffic.responses).toBeGreaterThan(20);
    expect(traffic.proxyResponses).toBeGreaterThan(3);
    expect(traffic.find(EMULATOR_KEY)).toEqual([]);
  });
});
