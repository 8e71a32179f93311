import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../playground/server.js";
import { isAlive, launchTestBrowser } from "./helpers/browser.js";
import { CLICKED_COLOR, IDLE_COLOR, serveTestPage } from "./helpers/pages.js";
import { centerColor, near } from "./helpers/pixels.js";

const EMULATOR_KEY = "fc-e2e-playground-scrape-90c1f7ab";

describe("the playground's Scrape & interact panel, on the emulator", () => {
  let playground: Playground;
  let browser: Browser;
  let page: Page;
  let decoder: Page;
  let target: Awaited<ReturnType<typeof serveTestPage>>;
  const scrapeCalls: string[] = [];

  beforeAll(async () => {
    [playground, browser, target] = await Promise.all([
      startPlayground({ port: 0, emulatorKey: EMULATOR_KEY, logLevel: "warn", emulator: { quiet: true } }),
      launchTestBrowser(),
      serveTestPage(),
    ]);
    const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
    page = await context.newPage();
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/firecrawl/scrape") scrapeCalls.push(request.postData() ?? "");
    });
    decoder = await browser.newPage();
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), playground?.close(), target?.close()]);
  });

  const panel = (): Locator => page.getByRole("region", { name: "Scrape & interact", exact: true });
  const output = () => page.getByTestId("scrape-output");
  const view = (): Locator => page.locator(".scrape-view iframe");
  let runs = 0;

  async function waitForColor(expected: readonly number[]) {
    await expect
      .poll(async () => near(await centerColor(decoder, await view().screenshot()), expected), {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(true);
  }

  it("shows the panel and refuses a URL that is not http(s) without sending it", async () => {
    await page.goto(playground.url);
    await expect.poll(() => page.getByTestId("banner").textContent(), { timeout: 60_000 }).toBe("local emulator");
    expect(await page.getByRole("heading", { name: "Scrape & interact", exact: true }).count()).toBe(1);
    // On the emulator the field starts with its offline start page.
    await expect
      .poll(() => panel().getByRole("textbox", { name: "Page to scrape" }).inputValue())
      .toBe(`${playground.emulator?.origin}/__emulator/start`);
    await panel().getByRole("textbox", { name: "Page to scrape" }).fill("javascript:alert(1)");
    await panel().getByRole("button", { name: "Scrape", exact: true }).click();
    await expect.poll(() => panel().getByRole("alert").textContent()).toMatch(/Only http and https/);
    expect(scrapeCalls).toEqual([]);
  });

  it("scrapes a page, runs code on its browser, and shows output and result", async () => {
    await panel().getByRole("textbox", { name: "Page to scrape" }).fill(target.url);
    await panel().getByRole("button", { name: "Scrape", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("scrape-state").getAttribute("data-state"), { timeout: 90_000 })
      .toBe("done");
    // The page scrapes through the proxy with client.scrape, asking for the two formats it shows.
    expect(scrapeCalls.map((body) => JSON.parse(body))).toEqual([{ url: target.url, formats: ["markdown", "links"] }]);
    expect(await page.getByTestId("scrape-title").textContent()).toBe("e2e target page");
    expect(await page.getByTestId("scrape-id").textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByTestId("scrape-markdown").textContent()).toContain("A real Chromium, streamed live");

    runs += 1;
    await panel().getByRole("button", { name: "Execute on page", exact: true }).click();
    await expect.poll(() => output().getAttribute("data-runs")).toBe(String(runs));
    await expect.poll(() => output().getAttribute("data-state"), { timeout: 90_000 }).toBe("success");
    const text = (await output().textContent()) ?? "";
    expect(text).toContain('"title":"e2e target page"');
    expect(text).toContain('"heading":"A real Chromium, streamed live"');
    await expect.poll(() => page.getByTestId("scrape-status").textContent()).toBe("live");
  }, 180_000);

  it("streams the scrape's browser and lets the person take it over", async () => {
    await expect.poll(() => page.getByTestId("scrape-view-state").textContent(), { timeout: 30_000 }).toBe("live");
    await waitForColor(IDLE_COLOR);
    const readOnlySrc = await view().getAttribute("src");
    expect(readOnlySrc).not.toContain("interactive=true");
    await panel().getByRole("button", { name: "Take over", exact: true }).click();
    await expect.poll(() => view().getAttribute("src")).toContain("interactive=true");
    await expect.poll(() => page.getByTestId("scrape-view-state").textContent(), { timeout: 30_000 }).toBe("live");
    await waitForColor(IDLE_COLOR);
    const box = await view().boundingBox();
    if (!box) throw new Error("scrape view has no box");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitForColor(CLICKED_COLOR);
  });

  it("explains that prompts need an agent, which the embedded emulator has none of", async () => {
    runs += 1;
    await panel().getByRole("button", { name: "Send prompt", exact: true }).click();
    await expect.poll(() => output().getAttribute("data-runs")).toBe(String(runs));
    await expect.poll(() => output().getAttribute("data-state"), { timeout: 30_000 }).toBe("error");
    const note = page.getByTestId("scrape-agent-note");
    expect(await note.textContent()).toContain("Prompts need an AI agent.");
    expect(await note.textContent()).toContain("(agent_not_configured)");
  });

  it("stops the scrape's browser and leaves no Chromium behind", async () => {
    await panel().getByRole("button", { name: "Stop browser", exact: true }).click();
    await expect.poll(() => page.getByTestId("scrape-status").textContent(), { timeout: 30_000 }).toBe("ended");
    await expect.poll(() => view().count()).toBe(0);
    const pids = playground.emulator?.spawnedPids() ?? [];
    expect(pids.length).toBeGreaterThanOrEqual(1);
    await playground.close();
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });
});
