import { describe, expect, it } from "vitest";
import { gotoCode, normalizeAddress, readPageState, stateCode } from "../playground/src/address.js";

describe("the playground's address rules", () => {
  it("adds https:// to bare hosts and http:// to localhost and 127.0.0.1", () => {
    const cases: [string, string][] = [
      ["example.com", "https://example.com/"],
      ["  example.com/a?b=1#c ", "https://example.com/a?b=1#c"],
      ["//example.com/x", "https://example.com/x"],
      ["localhost:3000/app", "http://localhost:3000/app"],
      ["LOCALHOST", "http://localhost/"],
      ["127.0.0.1:8080", "http://127.0.0.1:8080/"],
      ["[::1]:5173", "http://[::1]:5173/"],
      ["http://example.com", "http://example.com/"],
      ["HTTPS://Example.com/Path", "https://example.com/Path"],
    ];
    for (const [typed, url] of cases) expect([typed, normalizeAddress(typed)]).toEqual([typed, { ok: true, url }]);
  });

  it("refuses other schemes, empty input and what is no URL", () => {
    for (const typed of [
      "javascript:alert(1)",
      "file:///etc/passwd",
      "data:text/html,x",
      "ftp://a.b",
      "mailto:a@b.c",
    ]) {
      expect(normalizeAddress(typed)).toEqual({ ok: false, error: expect.stringMatching(/^Only http and https/) });
    }
    for (const typed of ["", "   ", "http://", "exa mple.com"]) {
      expect(normalizeAddress(typed)).toMatchObject({ ok: false });
    }
  });

  it("reads the page state from result (last expression) or, failing that, from what was printed", () => {
    const state = { url: "https://example.com/", title: "Example", error: null };
    const json = JSON.stringify(state);
    expect(readPageState({ result: json, stdout: `${json}\n` })).toEqual(state);
    // result = what was printed (older emulator), or quoted once more, or missing.
    expect(readPageState({ result: `${json}\n`, stdout: `${json}\n` })).toEqual(state);
    expect(readPageState({ result: JSON.stringify(json), stdout: "" })).toEqual(state);
    expect(readPageState({ result: null, stdout: `noise\n${json}\n` })).toEqual(state);
    expect(readPageState({ result: "undefined", stdout: "" })).toBeNull();
  });

  it("drives the page with plain Playwright calls inside one function, so nothing leaks between runs", () => {
    const code = gotoCode('https://example.com/"x');
    expect(code).toContain('await page.goto("https://example.com/\\"x"');
    expect(code.startsWith("await (async () => {")).toBe(true);
    expect(stateCode()).toContain("JSON.stringify({ url: page.url(), title, error })");
  });
});
