import { describe, expect, it } from "vitest";
import { keyRedactor } from "./redact.js";

describe("keyRedactor", () => {
  it("replaces every occurrence of the key", () => {
    expect(keyRedactor("fc-key")("fc-key then fc-key again")).toBe("[redacted] then [redacted] again");
  });

  it("matches the key literally, never as a pattern", () => {
    expect(keyRedactor("a.b")("a.b axb $& a.b")).toBe("[redacted] axb $& [redacted]");
    expect(keyRedactor("$&")("key $& here")).toBe("key [redacted] here");
  });

  it("leaves text without the key as it is", () => {
    expect(keyRedactor("fc-key")("Invalid key")).toBe("Invalid key");
  });

  it.each([
    ["no key", undefined],
    ["an empty key", ""],
  ])("leaves text as it is with %s", (_name, apiKey) => {
    expect(keyRedactor(apiKey)("Invalid key")).toBe("Invalid key");
  });
});
