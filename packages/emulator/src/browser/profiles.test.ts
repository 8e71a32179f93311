import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  startSuiteEmulator,
  startTestSite,
  suiteDataDir,
} from "../test-helpers/index.js";
import { SITE_PAGES } from "../test-helpers/site.js";
import { ProfileStore } from "./profiles.js";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite(SITE_PAGES);
  emulator = await startSuiteEmulator("emulator.profiles", { warmPool: 0 });
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.profiles", emulator, processesBefore);
});

const create = (profile: { name: string; saveChanges?: boolean }) =>
  call(emulator, "POST", "/interact", { body: { profile } });
const remove = (id: unknown) => call(emulator, "DELETE", `/interact/${id}`);

/** Opens the storage page in a session's browser over CDP and runs `script` there. */
async function inPage<T>(cdpUrl: unknown, script: () => T): Promise<T> {
  const browser = await chromium.connectOverCDP(cdpUrl as string);
  try {
    const page = browser.contexts()[0]?.pages()[0];
    if (!page) throw new Error("no page");
    await page.goto(`${site.origin}/storage`);
    return await page.evaluate(script);
  } finally {
    await browser.close();
  }
}

const readStorage = () => ({
  cookie: document.cookie,
  cart: localStorage.getItem("cart"),
  note: localStorage.getItem("note"),
});

describe("profiles", () => {
  test("one saving session per profile (409), any number of non-saving ones; the lock frees when it ends", async () => {
    const saving = await create({ name: "shop" });
    expect(saving.status).toBe(200);
    const second = await create({ name: "shop", saveChanges: true });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      success: false,
      code: "profile_busy",
      error: 'Profile "shop" already has a saving session; end it or use saveChanges: false',
      details: { field: "profile.name" },
    });
    const readers = await Promise.all([
      create({ name: "shop", saveChanges: false }),
      create({ name: "shop", saveChanges: false }),
    ]);
    expect(readers.map((reader) => reader.status)).toEqual([200, 200]);
    // Only the admitted sessions started browsers: the 409 launched nothing.
    expect(emulator.spawnedPids()).toHaveLength(3);
    expect((await remove(saving.body.id)).status).toBe(200);
    const next = await create({ name: "shop" });
    expect(next.status).toBe(200);
    for (const id of [next.body.id, ...readers.map((reader) => reader.body.id)])
      expect((await remove(id)).status).toBe(200);
  });

  test("cookies and local storage set in a saving session are there in the next session; a non-saving one writes nothing", async () => {
    const first = await create({ name: "persist" });
    const written = await inPage(first.body.cdpUrl, () => {
      // biome-ignore lint/suspicious/noDocumentCookie: the test sets a persistent cookie the way a site would.
      document.cookie = "visit=1; max-age=86400; path=/";
      localStorage.setItem("cart", "3 items");
      return document.cookie;
    });
    expect(written).toBe("visit=1");
    expect((await remove(first.body.id)).status).toBe(200);
    expect(existsSync(new ProfileStore(suiteDataDir(emulator)).dirFor("persist"))).toBe(true);

    const reader = await create({ name: "persist", saveChanges: false });
    expect(await inPage(reader.body.cdpUrl, readStorage)).toEqual({ cookie: "visit=1", cart: "3 items", note: null });
    // Changes in a non-saving session stay in its own copy.
    await inPage(reader.body.cdpUrl, () => localStorage.setItem("note", "not saved"));
    expect((await remove(reader.body.id)).status).toBe(200);

    const second = await create({ name: "persist" });
    expect(await inPage(second.body.cdpUrl, readStorage)).toEqual({ cookie: "visit=1", cart: "3 items", note: null });
    expect((await remove(second.body.id)).status).toBe(200);

    const other = await create({ name: "someone-else" });
    expect(await inPage(other.body.cdpUrl, readStorage)).toEqual({ cookie: "", cart: null, note: null });
    expect((await remove(other.body.id)).status).toBe(200);
  });

  test("profile names map to one safe directory each", () => {
    const store = new ProfileStore("/data");
    expect(store.dirFor("../../etc")).toMatch(/^\/data\/profiles\/_etc-[0-9a-f]{16}$/);
    expect(store.dirFor("a/b")).not.toBe(store.dirFor("a_b"));
    expect(store.dirFor("shop")).toBe(store.dirFor("shop"));
  });
});
