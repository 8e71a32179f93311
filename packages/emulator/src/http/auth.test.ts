import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { EmulatorHttpError } from "../errors.js";
import { DEFAULT_TEAM, KEYLESS_TEAM, profileStorageName } from "../sessions/teams.js";
import { ApiKeys } from "./auth.js";

const request = (authorization?: string) => ({ headers: { authorization } }) as IncomingMessage;

/** The status of what teamOf throws, or the team it answers. */
function outcome(keys: ApiKeys, authorization?: string, keyOptional = false): string | number {
  try {
    return keys.teamOf(request(authorization), keyOptional);
  } catch (error) {
    if (error instanceof EmulatorHttpError) return error.status;
    throw error;
  }
}

describe("ApiKeys: which keys are accepted and whose team they are", () => {
  test("apiKeys: each key is its team; other keys, no key and a malformed header are 401", () => {
    const keys = new ApiKeys({ apiKeys: { "fc-a": "team-a", "fc-b": "team-b", "fc-a2": "team-a" } });
    expect(keys.teamsEnabled).toBe(true);
    expect([outcome(keys, "Bearer fc-a"), outcome(keys, "bearer fc-b "), outcome(keys, "Bearer fc-a2")]).toEqual([
      "team-a",
      "team-b",
      "team-a",
    ]);
    expect([
      outcome(keys, "Bearer fc-c"),
      outcome(keys),
      outcome(keys, "Basic fc-a"),
      outcome(keys, "Bearer "),
    ]).toEqual([401, 401, 401, 401]);
    // The keyless scrape's caller is no key's team.
    expect(outcome(keys, undefined, true)).toBe(KEYLESS_TEAM);
    expect(outcome(keys, "Bearer fc-wrong", true)).toBe(401);
  });

  test("without apiKeys every accepted key is the default team: any key, or only apiKey", () => {
    const any = new ApiKeys({});
    expect([any.teamsEnabled, outcome(any, "Bearer anything"), outcome(any), outcome(any, undefined, true)]).toEqual([
      false,
      DEFAULT_TEAM,
      401,
      DEFAULT_TEAM,
    ]);
    const one = new ApiKeys({ apiKey: "fc-one" });
    expect([outcome(one, "Bearer fc-one"), outcome(one, "Bearer fc-two")]).toEqual([DEFAULT_TEAM, 401]);
  });

  test.each([
    [{ apiKey: "fc-one", apiKeys: { "fc-a": "a" } }, "Give the emulator apiKey or apiKeys, not both"],
    [{ apiKeys: {} }, "apiKeys needs at least one key"],
    [{ apiKeys: { "fc a": "a" } }, "apiKeys maps non-empty keys without spaces to non-empty team names"],
    [{ apiKeys: { "fc-a": " " } }, "apiKeys maps non-empty keys without spaces to non-empty team names"],
  ])("%o is refused: %s", (options, message) => {
    expect(() => new ApiKeys(options)).toThrow(new TypeError(message));
  });

  test("a team's profiles are stored under names of its own; the default team's under their own name", () => {
    expect(profileStorageName(DEFAULT_TEAM, "shop")).toBe("shop");
    expect(profileStorageName("team-a", "shop")).toBe("team-a/shop");
    expect(profileStorageName("team-a", "shop")).not.toBe(profileStorageName("team-b", "shop"));
  });
});
