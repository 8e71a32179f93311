import { describe, expect, it } from "vitest";
import { parseLiveViewMessage } from "../core/live-view-protocol.js";
import { checkLiveViewUrl, isSafeLiveViewUrl, toInteractiveUrl } from "./live-view-url.js";

describe("checkLiveViewUrl", () => {
  const table: [input: string | null | undefined, expected: ReturnType<typeof checkLiveViewUrl>][] = [
    [
      "https://live.example.dev/v?t=1",
      { ok: true, url: "https://live.example.dev/v?t=1", origin: "https://live.example.dev" },
    ],
    [
      "  https://live.example.dev/v  ",
      { ok: true, url: "https://live.example.dev/v", origin: "https://live.example.dev" },
    ],
    ["http://localhost:3002/live", { ok: true, url: "http://localhost:3002/live", origin: "http://localhost:3002" }],
    ["http://LOCALHOST/live", { ok: true, url: "http://localhost/live", origin: "http://localhost" }],
    ["http://127.0.0.1:9/live", { ok: true, url: "http://127.0.0.1:9/live", origin: "http://127.0.0.1:9" }],
    ["http://[::1]:9/live", { ok: true, url: "http://[::1]:9/live", origin: "http://[::1]:9" }],
    ["http://evil.com/", { ok: false, reason: "host" }],
    ["http://127.0.0.2/", { ok: false, reason: "host" }],
    ["http://localhost.evil.com/", { ok: false, reason: "host" }],
    ["javascript:alert(1)", { ok: false, reason: "protocol" }],
    ["data:text/html,hi", { ok: false, reason: "protocol" }],
    ["ftp://localhost/", { ok: false, reason: "protocol" }],
    ["ws://localhost/", { ok: false, reason: "protocol" }],
    ["file:///etc/passwd", { ok: false, reason: "protocol" }],
    ["/relative/path", { ok: false, reason: "invalid" }],
    ["not a url", { ok: false, reason: "invalid" }],
    ["", { ok: false, reason: "empty" }],
    ["   ", { ok: false, reason: "empty" }],
    [undefined, { ok: false, reason: "empty" }],
    [null, { ok: false, reason: "empty" }],
  ];
  for (const [input, expected] of table) {
    it(`${JSON.stringify(input)} → ${expected.ok ? "allowed" : expected.reason}`, () => {
      expect(checkLiveViewUrl(input)).toEqual(expected);
      expect(isSafeLiveViewUrl(input)).toBe(expected.ok);
    });
  }
});

describe("toInteractiveUrl", () => {
  it("adds interactive=true to the query, keeping the token", () => {
    expect(toInteractiveUrl("https://x.dev/live/1?token=a")).toBe("https://x.dev/live/1?token=a&interactive=true");
    expect(toInteractiveUrl("https://x.dev/live/1?interactive=false")).toBe("https://x.dev/live/1?interactive=true");
    expect(toInteractiveUrl("not a url")).toBe("not a url");
  });
});

describe("parseLiveViewMessage", () => {
  it("accepts only the live-view page's message shape", () => {
    expect(parseLiveViewMessage({ source: "firecrawl-interact", type: "connected", sessionId: "a" })).toEqual({
      source: "firecrawl-interact",
      type: "connected",
      sessionId: "a",
    });
    expect(parseLiveViewMessage({ source: "firecrawl-interact", type: "ended" })).toEqual({
      source: "firecrawl-interact",
      type: "ended",
    });
    expect(parseLiveViewMessage({ source: "firecrawl-interact", type: "frame" })).toBeNull();
    expect(parseLiveViewMessage({ source: "other", type: "connected" })).toBeNull();
    expect(parseLiveViewMessage({ source: "firecrawl-interact", type: "connected", sessionId: 7 })).toBeNull();
    expect(parseLiveViewMessage("connected")).toBeNull();
    expect(parseLiveViewMessage(null)).toBeNull();
  });
});
