import { existsSync } from "node:fs";
import { operations } from "firecrawl-interact/core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import { processGroupMembers } from "./browser/processes.js";
import { type Emulator, startEmulator } from "./emulator.js";
import { MAX_OUTPUT_BYTES } from "./execute/supervise.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  LiveViewClient,
  leftovers,
  startSuiteEmulator,
  startTestSite,
  suiteDataDir,
  waitFor,
} from "./test-helpers/index.js";
import { SITE_PAGES } from "./test-helpers/site.js";

const DEFAULT_TTL_S = operations.createBrowserSession.body.properties.ttl.default;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite(SITE_PAGES);
  emulator = await startSuiteEmulator("emulator.flow", { warmPool: 1 });
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  // Every Chromium this file started (sessions and warm pool) is gone, with its temp profile.
  await finishSuite("emulator.flow", emulator, processesBefore);
});

async function createSession(body: Record<string, unknown> = {}) {
  const answer = await call(emulator, "POST", "/interact", { body });
  expect(answer.status).toBe(200);
  return answer.body as {
    id: string;
    cdpUrl: string;
    liveViewUrl: string;
    interactiveLiveViewUrl: string;
    expiresAt: string;
  };
}

describe("emulator on real Chromium", () => {
  test("create → connectOverCDP → navigate → live frame → interactive click (read-only ignored) → execute → delete → 410", async () => {
    const started = performance.now();
    const created = await createSession({ ttl: 120 });
    const origin = emulator.origin;
    expect(created.id).toMatch(UUID);
    expect(created.cdpUrl).toMatch(
      new RegExp(`^${origin.replace("http", "ws")}/cdp/${created.id}\\?token=[\\w-]{32}$`),
    );
    expect(created.liveViewUrl).toMatch(new RegExp(`^${origin}/live/${created.id}\\?token=[\\w-]{32}$`));
    // The interactive view has its own token: the read-only one grants no input.
    expect(created.interactiveLiveViewUrl).toMatch(
      new RegExp(`^${origin}/live/${created.id}\\?token=[\\w-]{32}&interactive=true$`),
    );
    expect(new URL(created.interactiveLiveViewUrl).searchParams.get("token")).not.toBe(
      new URL(created.liveViewUrl).searchParams.get("token"),
    );
    expect(Math.abs(Date.parse(created.expiresAt) - (Date.now() + 120_000))).toBeLessThan(10_000);

    const viewer = new LiveViewClient(created.interactiveLiveViewUrl);
    const first = await viewer.nextFrame();
    const firstFrameMs = Math.round(performance.now() - started);
    console.info(`[emulator.flow] create → first live-view frame: ${firstFrameMs} ms (warm pool)`);
    expect([...first.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(first.header).toMatchObject({ width: 1280, height: 720 });
    expect(await viewer.message("ready")).toEqual({ type: "ready", interactive: true });

    const browser = await chromium.connectOverCDP(created.cdpUrl);
    const page = browser.contexts()[0]?.pages()[0];
    if (!page) throw new Error("the session has no page");
    const framesBeforeGoto = viewer.frames.length;
    await page.goto(`${site.origin}/button`);
    await viewer.nextFrame(framesBeforeGoto);

    // Read-only input is dropped by the server: close its socket so every message it sent has been handled.
    const readOnly = new LiveViewClient(created.liveViewUrl);
    expect(await readOnly.message("ready")).toEqual({ type: "ready", interactive: false });
    readOnly.click(640, 360);
    await readOnly.close();

    const framesBeforeClick = viewer.frames.length;
    const lastBeforeClick = viewer.frames.at(-1)?.jpeg;
    viewer.click(640, 360);
    await waitFor("the click to land", async () => (await page.title()) === "clicked 1");
    expect(await page.evaluate("window.clicks")).toEqual([[640, 360]]);
    const afterClick = await viewer.nextFrame(framesBeforeClick);
    expect(afterClick.jpeg.equals(lastBeforeClick ?? Buffer.alloc(0))).toBe(false);

    const executed = await call(emulator, "POST", `/interact/${created.id}/execute`, {
      body: { code: 'console.log(await page.title()); console.error("to stderr");', language: "node" },
    });
    expect(executed.status).toBe(200);
    // Firecrawl's answer: no `error` on success; `result` is the last expression's value (console.error's: none).
    expect(executed.body).toEqual({
      success: true,
      stdout: "clicked 1\n",
      result: null,
      stderr: "to stderr\n",
      exitCode: 0,
      killed: false,
      truncated: false,
    });

    const info = emulator.sessions().find((session) => session.id === created.id);
    if (!info) throw new Error("session not listed");
    const deleted = await call(emulator, "DELETE", `/interact/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, sessionDurationMs: expect.any(Number), creditsBilled: 0 });
    expect(deleted.body.sessionDurationMs).toBeGreaterThan(0);
    expect(processGroupMembers(info.pid)).toEqual([]);
    expect(existsSync(info.userDataDir)).toBe(false);
    expect(await viewer.message("ended")).toEqual({ type: "ended", reason: "deleted" });
    expect((await viewer.closed).code).toBe(4410);
    await waitFor("the CDP client to be disconnected", () => !browser.isConnected());

    const again = await call(emulator, "POST", `/interact/${created.id}/execute`, { body: { code: "1" } });
    expect([again.status, again.body.code]).toEqual([410, "session_destroyed"]);
    expect((await call(emulator, "DELETE", `/interact/${created.id}`)).status).toBe(410);
    const destroyed = await call(emulator, "GET", "/interact?status=destroyed");
    expect(destroyed.body.sessions).toContainEqual(expect.objectContaining({ id: created.id, status: "destroyed" }));
    const active = (await call(emulator, "GET", "/interact?status=active")).body.sessions as { id: string }[];
    expect(active.map((session) => session.id)).not.toContain(created.id);
  });

  test("execute: returned values are the result, throws exit 1, timeouts kill, output is cut; typing, paste and wheel reach the page", async () => {
    const requestedAt = Date.now();
    const created = await createSession();
    // No ttl in the body: the spec's default applies.
    const ttlMs = Date.parse(created.expiresAt) - requestedAt;
    expect(ttlMs).toBeGreaterThanOrEqual(DEFAULT_TTL_S * 1000 - 1000);
    expect(ttlMs).toBeLessThan(DEFAULT_TTL_S * 1000 + 10_000);
    const run = async (body: Record<string, unknown>) =>
      (await call(emulator, "POST", `/interact/${created.id}/execute`, { body })).body;

    expect(
      await run({ code: `await page.goto(${JSON.stringify(`${site.origin}/input`)}); return 6 * 7;` }),
    ).toMatchObject({
      success: true,
      stdout: "",
      result: "42",
      exitCode: 0,
    });
    // A failed run is still `success: true`; `error` is its stderr.
    const thrown = await run({ code: 'throw new Error("boom")' });
    expect(thrown).toMatchObject({ success: true, exitCode: 1, killed: false, stdout: "", result: null });
    expect(thrown.stderr).toContain("Error: boom");
    expect(thrown.error).toBe(thrown.stderr);
    const started = Date.now();
    const hung = await run({ code: "await new Promise(() => {})", timeout: 1 });
    expect(hung).toMatchObject({ success: true, killed: true, exitCode: null });
    expect(hung.error).toMatch(/timed out after 1s/);
    expect(Date.now() - started).toBeLessThan(15_000);

    // Each stream is capped: a run that prints past the cap says so with truncated.
    const chatty = await run({ code: `process.stdout.write("x".repeat(${MAX_OUTPUT_BYTES + 4096}));` });
    expect(chatty).toMatchObject({ success: true, exitCode: 0, truncated: true, stderr: "" });
    expect(chatty.stdout).toBe(`${"x".repeat(MAX_OUTPUT_BYTES)}\n[output truncated]`);
    const exact = await run({ code: `process.stdout.write("y".repeat(${MAX_OUTPUT_BYTES}));` });
    expect(exact).toMatchObject({ success: true, truncated: false });
    expect(exact.stdout).toBe("y".repeat(MAX_OUTPUT_BYTES));

    const viewer = new LiveViewClient(created.interactiveLiveViewUrl);
    await viewer.nextFrame();
    viewer.click(640, 100);
    for (const key of ["H", "i"]) {
      viewer.send({
        type: "key",
        action: "keyDown",
        key,
        code: `Key${key.toUpperCase()}`,
        keyCode: key.toUpperCase().charCodeAt(0),
        text: key,
      });
      viewer.send({
        type: "key",
        action: "keyUp",
        key,
        code: `Key${key.toUpperCase()}`,
        keyCode: key.toUpperCase().charCodeAt(0),
      });
    }
    viewer.send({ type: "text", text: " there" });
    viewer.send({ type: "key", action: "keyDown", key: "Backspace", code: "Backspace", keyCode: 8 });
    viewer.send({ type: "key", action: "keyUp", key: "Backspace", code: "Backspace", keyCode: 8 });
    await viewer.close();
    expect(await run({ code: 'await page.inputValue("#i")' })).toMatchObject({ result: "Hi ther" });

    await run({ code: `await page.goto(${JSON.stringify(`${site.origin}/tall`)})` });
    const scroller = new LiveViewClient(created.interactiveLiveViewUrl);
    // Wheel over a painted page, as a user would: Chromium drops a wheel that lands before the first paint.
    await scroller.nextFrame();
    scroller.send({ type: "wheel", x: 640, y: 360, deltaX: 0, deltaY: 600 });
    await scroller.close();
    await waitFor("the wheel to scroll the page", async () => {
      const scrolled = await run({ code: "await page.evaluate(() => window.scrollY)" });
      return Number(scrolled.result) > 0;
    });
    expect((await call(emulator, "DELETE", `/interact/${created.id}`)).status).toBe(200);
  });

  test("the live-view page in an iframe posts connected/ended, maps clicks through letterboxing, shows the end", async () => {
    const target = await createSession();
    const host = await createSession();
    const targetBrowser = await chromium.connectOverCDP(target.cdpUrl);
    const hostBrowser = await chromium.connectOverCDP(host.cdpUrl);
    try {
      const targetPage = targetBrowser.contexts()[0]?.pages()[0];
      const hostPage = hostBrowser.contexts()[0]?.pages()[0];
      if (!targetPage || !hostPage) throw new Error("a session has no page");
      await targetPage.goto(`${site.origin}/button`);
      await hostPage.goto(`${site.origin}/viewer?src=${encodeURIComponent(target.interactiveLiveViewUrl)}`);
      const received = () => hostPage.evaluate("window.received") as Promise<unknown[]>;
      await waitFor("the connected message", async () => (await received()).length > 0);
      expect(await received()).toEqual([{ source: "firecrawl-interact", type: "connected", sessionId: target.id }]);
      const frame = hostPage.frames()[1];
      if (!frame) throw new Error("no iframe");
      await waitFor("a frame drawn in the iframe", () =>
        frame.evaluate("Number(document.documentElement.dataset.frames) > 0"),
      );

      // 1280×720 in a 640×480 box: scale 0.5, 60 px bars above and below, so (160, 150) is page (320, 180).
      await hostPage.mouse.click(160, 150);
      await waitFor("the click through the iframe", async () => (await targetPage.title()) === "clicked 1");
      const [[x, y]] = (await targetPage.evaluate("window.clicks")) as [[number, number]];
      expect(Math.abs(x - 320)).toBeLessThanOrEqual(1);
      expect(Math.abs(y - 180)).toBeLessThanOrEqual(1);
      // A click on the letterbox bar maps outside the page and is not sent.
      await hostPage.mouse.click(160, 20);

      expect((await call(emulator, "DELETE", `/interact/${target.id}`)).status).toBe(200);
      await waitFor("the ended message", async () => (await received()).length > 1);
      expect(await received()).toEqual([
        { source: "firecrawl-interact", type: "connected", sessionId: target.id },
        { source: "firecrawl-interact", type: "ended", sessionId: target.id },
      ]);
      expect(await frame.evaluate("document.getElementById('note').textContent")).toBe("Session ended");
      expect(await frame.evaluate("document.documentElement.dataset.state")).toBe("ended");
    } finally {
      await hostBrowser.close();
      await call(emulator, "DELETE", `/interact/${host.id}`);
    }
  });

  test("the live view follows the active tab: a new tab, bringToFront, and back when a tab closes", async () => {
    const created = await createSession();
    const viewer = new LiveViewClient(created.liveViewUrl);
    const firstTab = (await viewer.message("tab")).targetId;
    await viewer.nextFrame();
    const browser = await chromium.connectOverCDP(created.cdpUrl);
    try {
      const context = browser.contexts()[0];
      const firstPage = context?.pages()[0];
      if (!context || !firstPage) throw new Error("no page");
      const tabMessages = () => viewer.messages.filter((message) => message.type === "tab").map((m) => m.targetId);
      const frameTabs = () => new Set(viewer.frames.map((frame) => frame.header.targetId));

      const secondPage = await context.newPage();
      await secondPage.goto(`${site.origin}/input`);
      const secondTab = await waitFor("a switch to the new tab", () => tabMessages().find((id) => id !== firstTab));
      await waitFor("frames of the new tab", () => frameTabs().has(secondTab as string));

      const switches = tabMessages().length;
      await firstPage.bringToFront();
      await waitFor("a switch back on bringToFront", () => tabMessages().length > switches);
      expect(tabMessages().at(-1)).toBe(firstTab);

      await firstPage.bringToFront();
      await secondPage.bringToFront();
      await waitFor("the second tab in front again", () => tabMessages().at(-1) === secondTab);
      await secondPage.close();
      await waitFor("the first tab after the second closed", () => tabMessages().at(-1) === firstTab);
      expect(tabMessages()).toEqual([firstTab, secondTab, firstTab, secondTab, firstTab]);
    } finally {
      await browser.close();
      await viewer.close();
      await call(emulator, "DELETE", `/interact/${created.id}`);
    }
  });

  test("streamWebView: false gives empty live-view URLs and no live route", async () => {
    const created = await createSession({ streamWebView: false });
    expect([created.liveViewUrl, created.interactiveLiveViewUrl]).toEqual(["", ""]);
    const listed = (await call(emulator, "GET", "/interact")).body.sessions as Record<string, unknown>[];
    expect(listed.find((session) => session.id === created.id)).toMatchObject({
      status: "active",
      streamWebView: false,
      liveViewUrl: "",
      cdpUrl: created.cdpUrl,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastActivity: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await fetch(`${emulator.origin}/live/${created.id}?token=x`)).status).toBe(404);
    expect((await call(emulator, "DELETE", `/interact/${created.id}`)).status).toBe(200);
  });

  test("close() with a live session, a viewer, a CDP client and a running execute leaves nothing behind", async () => {
    const own = await startEmulator({ quiet: true, warmPool: 1, dataDir: suiteDataDir(emulator) });
    const created = (await call(own, "POST", "/interact", { body: {} })).body as {
      id: string;
      cdpUrl: string;
      liveViewUrl: string;
    };
    const viewer = new LiveViewClient(created.liveViewUrl);
    await viewer.nextFrame();
    const browser = await chromium.connectOverCDP(created.cdpUrl);
    const running = call(own, "POST", `/interact/${created.id}/execute`, {
      body: { code: "await new Promise(() => {})" },
    });
    await waitFor("the execute to start", () => own.sessions()[0]?.runningExecutes === 1);
    await own.close();
    expect(await viewer.message("ended")).toEqual({ type: "ended", reason: "shutdown" });
    await waitFor("the CDP client to be disconnected", () => !browser.isConnected());
    expect(await running).toMatchObject({
      status: 200,
      body: { success: true, killed: true, exitCode: null, error: "The session ended while the code ran" },
    });
    expect(leftovers(own)).toEqual({ alivePids: [], dirs: [] });
  });

  test("/v2/browser aliases run the same operations; wrong tokens are refused", async () => {
    const created = await call(emulator, "POST", "/browser", { body: { ttl: 60 } });
    expect(created.status).toBe(200);
    const { id, cdpUrl, liveViewUrl } = created.body as { id: string; cdpUrl: string; liveViewUrl: string };
    const listed = (await call(emulator, "GET", "/browser?status=active")).body.sessions as { id: string }[];
    expect(listed.map((session) => session.id)).toContain(id);
    const executed = await call(emulator, "POST", `/browser/${id}/execute`, { body: { code: 'console.log("alias")' } });
    expect(executed.body).toMatchObject({ success: true, stdout: "alias\n" });

    const page = await fetch(liveViewUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'nonce-/);
    expect(await page.text()).toContain('<canvas id="screen"');
    expect((await fetch(liveViewUrl.replace(/token=[^&]+/, "token=wrong"))).status).toBe(403);
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(cdpUrl.replace(/token=[^&]+/, "token=wrong"));
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
    });
    expect(refused).toBe(403);

    expect((await call(emulator, "DELETE", `/browser/${id}`)).body).toMatchObject({ success: true, creditsBilled: 0 });
    expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(410);
  });
});
