import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../playground/server.js";
import { isAlive, launchTestBrowser } from "./helpers/browser.js";
import { serveTestSite, type TestSite } from "./helpers/pages.js";
import { centerColor, dominantShare, near } from "./helpers/pixels.js";
import { executeBox } from "./helpers/playground.js";

const EMULATOR_KEY = "fc-e2e-playground-browse-3b8e61d0";

/** Background of page one's link, as RGB. */
const LINK_COLOR = [36, 86, 211] as const;

// Pages of the local site the remote browser visits: /one links to /two with a link filling the viewport.
const SITE = {
  "/one": `<!doctype html><html><head><title>Page one</title><style>
html,body{margin:0;height:100%}a{position:fixed;inset:0;display:grid;place-items:center;font:700 48px sans-serif;
background:rgb(${LINK_COLOR.join(",")});color:#fff;text-decoration:none}</style></head><body><a href="/two">Go to page two</a></body></html>`,
  "/two": `<!doctype html><html><head><title>Page two</title></head>
<body style="margin:0;background:#0c8a4a;color:#fff;font:700 48px sans-serif"><p>Page two</p></body></html>`,
  "/tall": `<!doctype html><html><head><title>Tall page</title></head>
<body style="margin:0;height:6000px;background:linear-gradient(#fff,#000)">tall</body></html>`,
};

describe("the playground's address bar and start page, on the emulator", () => {
  let playground: Playground;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let decoder: Page;
  let site: TestSite;
  /** Execute requests the playground page sent (address bar, polls and the code box). */
  const executes: string[] = [];

  beforeAll(async () => {
    [playground, browser, site] = await Promise.all([
      startPlayground({ port: 0, emulatorKey: EMULATOR_KEY, logLevel: "warn", emulator: { quiet: true } }),
      launchTestBrowser(),
      serveTestSite(SITE),
    ]);
    context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    page = await context.newPage();
    page.on("request", (request) => {
      if (request.method() === "POST" && /\/api\/firecrawl\/interact\/[^/]+\/execute$/.test(request.url())) {
        executes.push(request.postData() ?? "");
      }
    });
    decoder = await browser.newPage();
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), playground?.close(), site?.close()]);
  });

  const address = () => page.getByRole("textbox", { name: "Address", exact: true });
  const shownUrl = () => page.getByTestId("page-url").textContent();
  const shownTitle = () => page.getByTestId("page-title").textContent();
  const frame = (): Locator => page.locator(".live-view iframe");
  const viewState = () => page.getByTestId("view-state").textContent();

  const execute = executeBox(() => page);

  async function viewCenter() {
    const box = await frame().boundingBox();
    if (!box) throw new Error("live view iframe has no box");
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Waits until the view shows a frame that is not blank (one colour); returns it. */
  async function nonBlankFrame(): Promise<Buffer> {
    let shot: Buffer = Buffer.alloc(0);
    await expect
      .poll(
        async () => {
          shot = await frame().screenshot();
          return dominantShare(decoder, shot);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeLessThan(0.9);
    return shot;
  }

  it("opens a new session on the emulator's start page, visibly alive in the live view", async () => {
    await page.goto(playground.url);
    await expect.poll(() => page.getByTestId("banner").textContent(), { timeout: 60_000 }).toBe("local emulator");
    // Without a session the address bar is there but disabled.
    expect(await address().isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Start session", exact: true }).click();
    await expect.poll(() => page.getByTestId("session-status").textContent(), { timeout: 60_000 }).toBe("live");
    await expect.poll(shownTitle, { timeout: 60_000 }).toBe("Emulator start page");
    expect(await shownUrl()).toBe(`${playground.emulator?.origin}/__emulator/start`);
    expect(await address().inputValue()).toBe(`${playground.emulator?.origin}/__emulator/start`);
    await expect.poll(viewState, { timeout: 30_000 }).toBe("live");
    const first = await nonBlankFrame();
    // The clock ticks: the frames keep changing.
    await expect.poll(async () => (await frame().screenshot()).equals(first), { timeout: 30_000 }).toBe(false);
  }, 180_000);

  it("navigates with the address bar, adds http:// for 127.0.0.1, and shows the new URL and title", async () => {
    const bare = site.url("/one").replace(/^http:\/\//, "");
    await address().fill(bare);
    await address().press("Enter");
    await expect.poll(shownUrl, { timeout: 30_000 }).toBe(site.url("/one"));
    expect(await shownTitle()).toBe("Page one");
    expect(await address().inputValue()).toBe(site.url("/one"));
    // Through execute, like any client: the code the address bar sent is a plain page.goto.
    const codes = executes.map((body) => (JSON.parse(body) as { code: string }).code);
    expect(codes.some((code) => code.includes(`await page.goto(${JSON.stringify(site.url("/one"))}`))).toBe(true);

    await address().fill(site.url("/two"));
    await address().press("Enter");
    await expect.poll(shownTitle, { timeout: 30_000 }).toBe("Page two");
    expect(await shownUrl()).toBe(site.url("/two"));
  });

  it("goes Back and Forward, and Reload loads the page again", async () => {
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await expect.poll(shownUrl, { timeout: 30_000 }).toBe(site.url("/one"));
    expect(await shownTitle()).toBe("Page one");
    await page.getByRole("button", { name: "Forward", exact: true }).click();
    await expect.poll(shownUrl, { timeout: 30_000 }).toBe(site.url("/two"));

    const before = site.hits("/two");
    await page.getByRole("button", { name: "Reload", exact: true }).click();
    await expect.poll(() => site.hits("/two"), { timeout: 30_000 }).toBe(before + 1);
    await expect.poll(() => page.getByTestId("address-pending").count()).toBe(0);
    expect(await shownUrl()).toBe(site.url("/two"));
  });

  it("refuses other schemes inline and sends nothing", async () => {
    const sent = executes.length;
    for (const typed of ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.com/"]) {
      await address().fill(typed);
      await address().press("Enter");
      await expect.poll(() => page.getByTestId("address-error").textContent()).toMatch(/Only http and https/);
    }
    expect(executes.length).toBe(sent);
    await address().press("Escape");
    expect(await address().inputValue()).toBe(site.url("/two"));
  });

  it("keeps the URL current when the person clicks a link in the interactive view", async () => {
    await address().fill(site.url("/one"));
    await address().press("Enter");
    await expect.poll(shownTitle, { timeout: 30_000 }).toBe("Page one");
    await page.getByRole("button", { name: "Interactive", exact: true }).click();
    await expect.poll(() => frame().getAttribute("src")).toContain("interactive=true");
    await expect.poll(viewState, { timeout: 30_000 }).toBe("live");
    // Click once the view shows page one (its link fills the viewport).
    await expect
      .poll(async () => near(await centerColor(decoder, await frame().screenshot()), LINK_COLOR), { timeout: 30_000 })
      .toBe(true);
    const sent = executes.length;
    const center = await viewCenter();
    await page.mouse.click(center.x, center.y);
    // Nothing but the poll tells the page: the address bar catches up within a few seconds.
    await expect.poll(shownUrl, { timeout: 30_000 }).toBe(site.url("/two"));
    expect(await shownTitle()).toBe("Page two");
    expect(executes.length).toBeGreaterThan(sent);
  });

  it("types and pastes into an input of the remote page, and scrolls it, through the interactive view", async () => {
    await address().fill(`${playground.emulator?.origin}/__emulator/start/form`);
    await address().press("Enter");
    await expect.poll(shownTitle, { timeout: 30_000 }).toBe("Form · emulator");
    await nonBlankFrame();
    // The form page's input sits in the middle of the viewport.
    const center = await viewCenter();
    await page.mouse.click(center.x, center.y);
    await page.keyboard.type("Hello, live view!");
    await expect
      .poll(async () => (await execute('console.log(await page.inputValue("#name"))')).split("\n")[0], {
        timeout: 30_000,
      })
      .toBe("Hello, live view!");
    // Backspace and Enter are keys too: Enter sends the form (a GET to the same page).
    await page.mouse.click(center.x, center.y);
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Enter");
    await expect.poll(shownUrl, { timeout: 30_000 }).toMatch(/\/__emulator\/start\/form\?text=Hello%2C\+live\+view$/);

    // Paste: Ctrl+V in the view sends the clipboard's text, typed into the focused input.
    await page.evaluate(() => navigator.clipboard.writeText(" pasted"));
    await page.mouse.click(center.x, center.y);
    await page.keyboard.press("Control+V");
    await expect
      .poll(async () => (await execute('console.log(await page.inputValue("#name"))')).split("\n")[0], {
        timeout: 30_000,
      })
      .toBe(" pasted");
    // Shortcuts reach the page too: Ctrl+A selects the text, the next key replaces it.
    await page.mouse.click(center.x, center.y);
    await page.keyboard.press("Control+A");
    await page.keyboard.type("X");
    await expect
      .poll(async () => (await execute('console.log(await page.inputValue("#name"))')).split("\n")[0], {
        timeout: 30_000,
      })
      .toBe("X");

    // Scroll: the wheel over the view scrolls the remote page.
    await address().fill(site.url("/tall"));
    await address().press("Enter");
    await expect.poll(shownTitle, { timeout: 30_000 }).toBe("Tall page");
    await nonBlankFrame();
    await page.mouse.move(center.x, center.y);
    await page.mouse.wheel(0, 800);
    await expect
      .poll(async () => Number((await execute("console.log(await page.evaluate(() => scrollY))")).split("\n")[0]), {
        timeout: 30_000,
      })
      .toBeGreaterThan(200);
  });

  it("stops the session: the address bar is disabled again and no Chromium is left", async () => {
    await page.getByRole("button", { name: "Stop session", exact: true }).click();
    await expect.poll(() => page.getByTestId("session-status").textContent()).toBe("ended");
    await expect.poll(() => address().isDisabled()).toBe(true);
    const pids = playground.emulator?.spawnedPids() ?? [];
    expect(pids.length).toBeGreaterThanOrEqual(1);
    await playground.close();
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });
});
