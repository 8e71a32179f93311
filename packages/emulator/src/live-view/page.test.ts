import { describe, expect, test } from "vitest";
import { liveViewCsp, renderLiveViewPage } from "./page.js";
import { loadViewerScript } from "./viewer-asset.js";

describe("the live-view page", () => {
  test("carries the session id in an escaped attribute and inlines the bundled viewer under the nonce", async () => {
    const script = await loadViewerScript();
    const html = renderLiveViewPage(`a"<b>&'c`, "n0nce", script);
    expect(html.match(/<html[^>]*>/)?.[0]).toBe(`<html lang="en" data-session-id="a&quot;&lt;b&gt;&amp;'c">`);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes]) => attributes)).toEqual([' nonce="n0nce"']);
    expect(scripts[0]?.[2]).toBe(script);
    expect(html.match(/<style([^>]*)>/)?.[1]).toBe(' nonce="n0nce"');
  });

  test("the viewer is one browser script: an IIFE with the protocol bundled in, no imports left", async () => {
    const script = await loadViewerScript();
    expect(script.startsWith("(function() {")).toBe(true);
    expect(script.trimEnd().endsWith("})();")).toBe(true);
    expect(script).not.toMatch(/\bimport\b|\brequire\(/);
    expect(script).toContain("function decodeLiveViewFrame(");
    expect(script).toContain("function parseLiveViewServerMessage(");
    // The pointer mapping the emulator's tests check is the one the page runs.
    expect(script).toContain("function boxToPage(");
    expect(script).toContain("function fitFrame(");
  });

  test("the CSP allows only the nonce's code, the page's own socket and blob images", () => {
    expect(liveViewCsp("n0nce")).toBe(
      "default-src 'none'; script-src 'nonce-n0nce'; style-src 'nonce-n0nce'; img-src blob: data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'",
    );
  });
});
