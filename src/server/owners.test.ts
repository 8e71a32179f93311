import { describe, expect, it } from "vitest";
import { createMemoryOwnerStore, fromSessionHandle, toSessionHandle } from "./owners.js";

const SECRET = "fc-server-test-key-5f1e0c";
const ID = "3f2b8c1e-9d4a-4e6b-8a7c-1b2d3e4f5a6b";

describe("session handles", () => {
  it("carry the upstream id plus 32 hex characters, valid for their owner only", async () => {
    const handle = await toSessionHandle(SECRET, "alice", ID);
    expect(handle).toMatch(new RegExp(`^${ID}-[0-9a-f]{32}$`));
    expect(handle).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    expect(await fromSessionHandle(SECRET, "alice", handle as string)).toBe(ID);
    expect(await fromSessionHandle(SECRET, "bob", handle as string)).toBeNull();
    expect(await fromSessionHandle("another-secret", "alice", handle as string)).toBeNull();
  });

  it("are the same on every call, so any instance of the proxy checks them alike", async () => {
    expect(await toSessionHandle(SECRET, "alice", ID)).toBe(await toSessionHandle(SECRET, "alice", ID));
    expect(await toSessionHandle(SECRET, "alice", ID)).not.toBe(await toSessionHandle(SECRET, "alicf", ID));
  });

  it("do not let a user and an id trade characters", async () => {
    const a = await toSessionHandle(SECRET, "ab", "c-id");
    const b = await toSessionHandle(SECRET, "a", "bc-id");
    expect(a?.slice(-32)).not.toBe(b?.slice(-32));
  });

  it.each([
    ["the bare upstream id", ID],
    ["a flipped signature character", "flip"],
    ["a truncated signature", "cut"],
    ["an upper-case signature", "upper"],
    ["no id before the signature", "-0123456789abcdef0123456789abcdef"],
    ["an empty handle", ""],
  ])("refuse %s", async (_name, kind) => {
    const good = (await toSessionHandle(SECRET, "alice", ID)) as string;
    const forged: Record<string, string> = {
      flip: `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`,
      cut: good.slice(0, -1),
      upper: good.toUpperCase(),
    };
    expect(await fromSessionHandle(SECRET, "alice", forged[kind] ?? kind)).toBeNull();
  });

  it("are not made for an id too long to fit the spec's 128 characters", async () => {
    expect(await toSessionHandle(SECRET, "alice", "a".repeat(95))).toHaveLength(128);
    expect(await toSessionHandle(SECRET, "alice", "a".repeat(96))).toBeNull();
  });
});

describe("createMemoryOwnerStore", () => {
  it("keeps owners apart by user and kind", async () => {
    const store = createMemoryOwnerStore();
    await store.add("alice", "session", "s1", Date.now() + 60_000);
    await store.add("alice", "scrape", "j1", Date.now() + 60_000);
    await store.add("bob", "session", "s2", Date.now() + 60_000);
    expect(await store.list("alice", "session")).toEqual(["s1"]);
    expect(await store.list("alice", "scrape")).toEqual(["j1"]);
    expect(await store.list("bob", "session")).toEqual(["s2"]);
    expect(await store.has("bob", "session", "s1")).toBe(false);
    expect(await store.has("alice", "scrape", "s1")).toBe(false);
  });

  it("drops records once they expire", async () => {
    let now = 1_000;
    const store = createMemoryOwnerStore({ now: () => now });
    await store.add("alice", "session", "s1", 2_000);
    expect(await store.has("alice", "session", "s1")).toBe(true);
    now = 2_000;
    expect(await store.has("alice", "session", "s1")).toBe(false);
    expect(await store.list("alice", "session")).toEqual([]);
  });

  it("holds at most maxRecords, dropping expired ones first and then the soonest to expire", async () => {
    let now = 0;
    const store = createMemoryOwnerStore({ maxRecords: 3, now: () => now });
    await store.add("u", "session", "expired", 10);
    await store.add("u", "session", "late", 1_000);
    await store.add("u", "session", "soon", 100);
    now = 50;
    await store.add("u", "session", "new", 500);
    expect(await store.list("u", "session")).toEqual(["late", "soon", "new"]);
    await store.add("u", "session", "newest", 2_000);
    expect(await store.list("u", "session")).toEqual(["late", "new", "newest"]);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses maxRecords %s", (maxRecords) => {
    expect(() => createMemoryOwnerStore({ maxRecords })).toThrow(
      new TypeError("firecrawl-interact: maxRecords must be a positive integer"),
    );
  });
});
