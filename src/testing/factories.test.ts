import { describe, expect, it } from "vitest";
import { InteractApiError } from "../core/errors.js";
import {
  FAKE_SCRAPE_ID,
  FAKE_SESSION_ID,
  fakeApiError,
  fakeExecuteResult,
  fakeInteractResult,
  fakeScrapeResult,
  fakeSession,
  fakeSessionEntry,
} from "./factories.js";

describe("factories", () => {
  it("fakeSession: every field of a create answer, URLs following an overridden id", () => {
    expect(fakeSession({ id: "s2" })).toEqual({
      success: true,
      id: "s2",
      cdpUrl: "wss://fake-firecrawl.test/cdp/s2?token=cdp",
      liveViewUrl: "https://fake-firecrawl.test/live/s2?token=view",
      interactiveLiveViewUrl: "https://fake-firecrawl.test/live/s2?token=interactive&interactive=true",
      expiresAt: "2030-01-01T00:10:00.000Z",
    });
  });

  it("fakeSessionEntry: an active list entry; overrides win", () => {
    expect(fakeSessionEntry({ status: "destroyed" })).toEqual({
      id: FAKE_SESSION_ID,
      status: "destroyed",
      cdpUrl: `wss://fake-firecrawl.test/cdp/${FAKE_SESSION_ID}?token=cdp`,
      liveViewUrl: `https://fake-firecrawl.test/live/${FAKE_SESSION_ID}?token=view`,
      interactiveLiveViewUrl: `https://fake-firecrawl.test/live/${FAKE_SESSION_ID}?token=interactive&interactive=true`,
      streamWebView: true,
      createdAt: "2030-01-01T00:00:00.000Z",
      lastActivity: "2030-01-01T00:00:00.000Z",
    });
  });

  it("fakeExecuteResult and fakeInteractResult: a run that exited 0, as the emulator answers it", () => {
    expect(fakeExecuteResult({ stdout: "hi\n" })).toEqual({
      success: true,
      stdout: "hi\n",
      result: null,
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    });
    expect(fakeInteractResult({ output: "Done" })).toMatchObject({
      output: "Done",
      exitCode: 0,
      liveViewUrl: fakeSession().liveViewUrl,
    });
  });

  it("fakeScrapeResult: data and metadata merged one level deep", () => {
    expect(fakeScrapeResult({ data: { html: "<h1>x</h1>", metadata: { statusCode: 404 } } })).toEqual({
      success: true,
      data: {
        markdown: "# Example Domain",
        html: "<h1>x</h1>",
        metadata: {
          title: "Example Domain",
          sourceURL: "https://example.com/",
          url: "https://example.com/",
          statusCode: 404,
          scrapeId: FAKE_SCRAPE_ID,
        },
      },
    });
  });

  it("fakeApiError: the client's own error class with the emulator's body", () => {
    const limit = fakeApiError({ retryAfterMs: 5000 });
    expect(limit).toBeInstanceOf(InteractApiError);
    expect({ ...limit, message: limit.message }).toEqual({
      name: "InteractApiError",
      status: 429,
      code: "too_many_sessions",
      message: "At most 4 sessions may be active at once",
      retryAfterMs: 5000,
      body: { success: false, code: "too_many_sessions", error: "At most 4 sessions may be active at once" },
    });
    const gone = fakeApiError({
      status: 410,
      code: "session_destroyed",
      message: "Session already destroyed",
      body: "gone",
    });
    expect([gone.status, gone.code, gone.message, gone.body]).toEqual([
      410,
      "session_destroyed",
      "Session already destroyed",
      "gone",
    ]);
  });
});
