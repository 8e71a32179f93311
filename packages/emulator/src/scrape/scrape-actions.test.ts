import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, leftovers, startSuiteEmulator } from "../test-helpers/index.js";
import { startOptionsSite } from "../test-helpers/options-site.js";
import { ACTION_TYPES, MAX_ACTIONS } from "./actions.js";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startOptionsSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startOptionsSite();
  emulator = await startSuiteEmulator("emulator.scrape-actions", { warmPool: 0 });
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.scrape-actions", emulator, processesBefore);
});

const scrape = (body: Record<string, unknown>) => call(emulator, "POST", "/scrape", { body });

/** The bytes of a `data:` URL of the given media type. */
function dataUrlBytes(url: unknown, type: string): Buffer {
  expect(String(url).startsWith(`data:${type};base64,`)).toBe(true);
  return Buffer.from(String(url).slice(String(url).indexOf(",") + 1), "base64");
}

describe("actions run on the page, in order, before it is read", () => {
  test("click, write, press, wait, scroll and executeJavascript act on the page; their outputs are in data.actions", async () => {
    const answer = await scrape({
      url: `${site.origin}/layout`,
      formats: ["markdown"],
      includeTags: ["#out", "[data-sku]"],
      actions: [
        { type: "click", selector: "#name" },
        { type: "write", text: "Ada" },
        { type: "press", key: "End" },
        { type: "click", selector: "#go" },
        { type: "wait", selector: "#out" },
        { type: "wait", milliseconds: 10 },
        { type: "scroll" },
        { type: "executeJavascript", script: "window.scrollY > 0" },
        { type: "scroll", direction: "up" },
        { type: "executeJavascript", script: "window.scrollY" },
        {
          type: "executeJavascript",
          script:
            "document.querySelectorAll('[data-sku]').forEach((e) => e.addEventListener('click', () => { e.textContent += '!'; }))",
        },
        { type: "click", selector: "[data-sku]", all: true },
        {
          type: "executeJavascript",
          script: "({ title: document.title, value: document.getElementById('name').value })",
        },
        { type: "executeJavascript", script: "new Promise((resolve) => setTimeout(() => resolve(7), 10))" },
      ],
    });
    expect(answer.status).toBe(200);
    const data = answer.body.data as Record<string, unknown>;
    expect(data.markdown).toBe("Hello Ada\n\none!two!");
    expect(data.actions).toEqual({
      screenshots: [],
      scrapes: [],
      javascriptReturns: [
        { type: "boolean", value: true },
        { type: "number", value: 0 },
        { type: "undefined" },
        { type: "object", value: { title: "Layout", value: "Ada" } },
        { type: "number", value: 7 },
      ],
      pdfs: [],
    });
    expect(Object.keys(data)).toEqual(["markdown", "actions", "metadata"]);
  });

  test("screenshot, scrape and pdf actions: a JPEG at the viewport asked, the page's URL and rendered HTML, a PDF", async () => {
    const answer = await scrape({
      url: `${site.origin}/layout`,
      formats: ["links"],
      actions: [
        { type: "executeJavascript", script: "document.getElementById('out').textContent = 'changed by an action'" },
        { type: "screenshot", quality: 40, viewport: { width: 400, height: 300 } },
        { type: "scrape" },
        { type: "pdf", format: "A4" },
      ],
    });
    expect(answer.status).toBe(200);
    const actions = (answer.body.data as { actions: Record<string, unknown[]> }).actions;
    expect(actions.screenshots).toHaveLength(1);
    const jpeg = dataUrlBytes(actions.screenshots?.[0], "image/jpeg");
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(actions.scrapes).toEqual([
      { url: `${site.origin}/layout`, html: expect.stringContaining('<p id="out">changed by an action</p>') },
    ]);
    expect(dataUrlBytes(actions.pdfs?.[0], "application/pdf").subarray(0, 5).toString()).toBe("%PDF-");
    expect(actions.javascriptReturns).toEqual([{ type: "string", value: "changed by an action" }]);
  });

  test("actions: [] answers an empty data.actions; no actions, no data.actions", async () => {
    const empty = await scrape({ url: `${site.origin}/layout`, formats: ["links"], actions: [] });
    expect((empty.body.data as Record<string, unknown>).actions).toEqual({
      screenshots: [],
      scrapes: [],
      javascriptReturns: [],
      pdfs: [],
    });
    const none = await scrape({ url: `${site.origin}/layout`, formats: ["links"] });
    expect(none.body.data).not.toHaveProperty("actions");
  });

  test("a script that throws is a 500 naming the action; a selector that never appears is the scrape's 408", async () => {
    const thrown = await scrape({
      url: `${site.origin}/layout`,
      actions: [
        { type: "wait", milliseconds: 1 },
        { type: "executeJavascript", script: "throw new Error('boom')" },
      ],
    });
    expect([thrown.status, thrown.body]).toEqual([
      500,
      {
        success: false,
        code: "browser_failed",
        error: "Action 2 (executeJavascript) failed: Error: boom",
        details: { action: 1, type: "executeJavascript" },
      },
    ]);
    const missing = await scrape({
      url: `${site.origin}/layout`,
      timeout: 1_500,
      actions: [{ type: "click", selector: "#missing" }],
    });
    expect([missing.status, missing.body]).toEqual([
      408,
      { success: false, code: "timeout", error: "Scrape timed out after 1500 ms" },
    ]);
    expect(leftovers(emulator)).toEqual({ alivePids: [], dirs: [] });
  });
});

describe("actions are checked as Firecrawl checks them, before anything launches", () => {
  const cases: [string, unknown, string, Record<string, unknown>][] = [
    [
      "an unknown type",
      [{ type: "hover", selector: "a" }],
      `actions[0].type must be one of ${ACTION_TYPES.join(", ")} (got "hover")`,
      { field: "actions[0].type", rule: "enum", limit: ACTION_TYPES },
    ],
    [
      "a wait with both milliseconds and selector",
      [{ type: "wait", milliseconds: 5, selector: "a" }],
      "Either 'milliseconds' or 'selector' must be provided, but not both.",
      { field: "actions[0]", rule: "oneOf", limit: ["milliseconds", "selector"] },
    ],
    [
      "a click without a selector",
      [{ type: "click" }],
      "actions[0].selector is required",
      { field: "actions[0].selector", rule: "required" },
    ],
    [
      "a screenshot of quality 0",
      [{ type: "screenshot", quality: 0 }],
      "actions[0].quality must be at least 1 (got 0)",
      { field: "actions[0].quality", rule: "minimum", limit: 1 },
    ],
    [
      `${MAX_ACTIONS + 1} actions`,
      Array.from({ length: MAX_ACTIONS + 1 }, () => ({ type: "scrape" })),
      "Number of actions cannot exceed 50",
      { field: "actions", rule: "maxLength", limit: MAX_ACTIONS },
    ],
    [
      "61 s of waiting",
      [
        { type: "wait", milliseconds: 60_000 },
        { type: "wait", selector: "#x" },
      ],
      "Total wait time (waitFor + wait actions) cannot exceed 60 seconds",
      { field: "actions", rule: "maximum", limit: 60_000 },
    ],
  ];

  test.each(cases)("%s → 400", async (_label, actions, error, details) => {
    const launched = emulator.spawnedPids().length;
    const answer = await scrape({ url: `${site.origin}/layout`, actions });
    expect([answer.status, answer.body]).toEqual([400, { success: false, code: "BAD_REQUEST", error, details }]);
    expect(emulator.spawnedPids().length).toBe(launched);
  });
});
