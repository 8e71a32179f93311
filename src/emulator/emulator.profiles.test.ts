import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { ProfileStore } from "./profiles.js";
import { call, chromiumProcessCount, leftovers, startTestSite } from "./test-helpers/index.js";
import { SITE_PAGES } from "./test-helpers/site.js";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
let dataDir: string;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "fci-emulator-profiles-"));
  site = await startTestSite(SITE_PAGES);
  emulator = await startEmulator({ quiet: true, dataDir, warmPool: 0 });
});

afterAll(async () => {
  await emulator?.close();
  await site?.close();
  await rm(dataDir, { recursive: true, force: true });
  expect(leftovers(emulator)).toEqual({ alivePids: [], dirs: [] });
  console.info(
    `[emulator.profiles] Chromium processes on the machine: before ${processesBefore}, after ${chromiumProcessCount()}`,
  );
});

const create = (profile: { name: string; saveChanges?: boolean }) =>
  call(emulator, "POST", "/interact", { body: { profile } });
const remove = (id: unknown) => call(emulator, "DELETE", `/interact/${id}`);
const run = async (id: unknown, code: string) =>
  (await call(emulator, "POST", `/interact/${id}/execute`, { body: { code } })).body;

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
    const url = JSON.stringify(`${site.origin}/storage`);
    const first = await create({ name: "persist" });
    expect(
      await run(
        first.body.id,
        `await page.goto(${url});
         await page.evaluate(() => { document.cookie = "visit=1; max-age=86400; path=/"; localStorage.setItem("cart", "3 items"); });
         return await page.evaluate(() => document.cookie);`,
      ),
    ).toMatchObject({ success: true, stdout: "visit=1\n" });
    expect((await remove(first.body.id)).status).toBe(200);
    expect(existsSync(new ProfileStore(dataDir).dirFor("persist"))).toBe(true);

    const reader = await create({ name: "persist", saveChanges: false });
    const read = `await page.goto(${url});
      return await page.evaluate(() => ({ cookie: document.cookie, cart: localStorage.getItem("cart"), note: localStorage.getItem("note") }));`;
    expect(await run(reader.body.id, read)).toMatchObject({
      success: true,
      stdout: `${JSON.stringify({ cookie: "visit=1", cart: "3 items", note: null })}\n`,
    });
    // Changes in a non-saving session stay in its own copy.
    await run(reader.body.id, `await page.evaluate(() => localStorage.setItem("note", "not saved"));`);
    expect((await remove(reader.body.id)).status).toBe(200);

    const second = await create({ name: "persist" });
    expect(await run(second.body.id, read)).toMatchObject({
      stdout: `${JSON.stringify({ cookie: "visit=1", cart: "3 items", note: null })}\n`,
    });
    expect((await remove(second.body.id)).status).toBe(200);

    const other = await create({ name: "someone-else" });
    expect(await run(other.body.id, read)).toMatchObject({
      stdout: `${JSON.stringify({ cookie: "", cart: null, note: null })}\n`,
    });
    expect((await remove(other.body.id)).status).toBe(200);
  });

  test("profile names map to one safe directory each", () => {
    const store = new ProfileStore("/data");
    expect(store.dirFor("../../etc")).toMatch(/^\/data\/profiles\/_etc-[0-9a-f]{16}$/);
    expect(store.dirFor("a/b")).not.toBe(store.dirFor("a_b"));
    expect(store.dirFor("shop")).toBe(store.dirFor("shop"));
  });
});
