import { describe, expect, it } from "vitest";
import { keyRedactor, redactJson } from "./redact.js";

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

describe("redactJson", () => {
  const redact = keyRedactor("fc-key-42");

  it.each([
    ["plain", '{"error":"bad key fc-key-42"}'],
    [
      "every character escaped",
      `{"error":"bad key ${[..."fc-key-42"].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"}`,
    ],
    ["with upper-case hex", '{"error":"fc-\\u006Bey-42"}'],
    ["a solidus escape beside it", '{"error":"fc-key-42\\/x"}'],
  ])("removes a key written %s", (_name, text) => {
    expect(JSON.parse(redactJson(text, redact)).error).not.toContain("fc-key-42");
    expect(redactJson(text, redact)).toContain("[redacted]");
  });

  it("redacts object keys and nested strings, and keeps everything else", () => {
    const text = JSON.stringify({ a: [1, { "fc-key-42": "x", b: ["y fc-key-42"] }], n: null, t: true });
    expect(JSON.parse(redactJson(text, redact))).toStrictEqual({
      a: [1, { "[redacted]": "x", b: ["y [redacted]"] }],
      n: null,
      t: true,
    });
  });

  const nested = (levels: number) => `${"[".repeat(levels)}"fc-key-42"${"]".repeat(levels)}`;

  it("takes 256 levels of nesting", () => {
    expect(redactJson(nested(256), redact)).toBe(nested(256).replace("fc-key-42", "[redacted]"));
  });

  it("refuses 100,000 levels with a RangeError of its own, not a stack overflow", () => {
    expect(() => redactJson(nested(100_000), redact)).toThrow(new RangeError("JSON nested deeper than 256 levels"));
  });
});
