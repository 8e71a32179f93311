import { act, cleanup, configure, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { InteractApiError, InteractValidationError, type ScrapeInteractRequest } from "../client/index.js";
import { deferred } from "./test-helpers/fake-interact-api.js";
import {
  fakeLiveViewUrl,
  fakeScrapeApi,
  OTHER_SCRAPE_ID,
  SCRAPE_ID,
  UNKNOWN_SCRAPE_ID,
} from "./test-helpers/fake-scrape-api.js";
import { click, renderScrapeHarness, shown, waitForScrapeStatus } from "./test-helpers/scrape-harness.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(cleanup);

const PATH = `/scrape/${SCRAPE_ID}/interact`;
const LIVE = fakeLiveViewUrl(SCRAPE_ID);
const INTERACTIVE = `${LIVE}&interactive=true`;
/** Gives a stray deferred request every chance to go out before counting. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));
const iframe = () => document.querySelector("iframe");
/** The live view's announcement (the harness's `<output>`s are status regions too, so by its aria-live). */
const announced = () => document.querySelector("[aria-live]")?.textContent;

describe("useScrapeInteraction: running code and prompts", () => {
  it("runs code with one POST to /scrape/{id}/interact and exposes stdout and result", async () => {
    const api = fakeScrapeApi();
    const { latest, statuses } = renderScrapeHarness(api.client, {
      scrapeId: SCRAPE_ID,
      code: { code: "document.title", language: "node", timeout: 60 },
    });
    expect(shown("status")).toBe("idle");
    click("run code");
    await waitForScrapeStatus("live");
    expect(api.calls).toEqual([
      { method: "POST", path: PATH, body: { code: "document.title", language: "node", timeout: 60 }, keepalive: false },
    ]);
    expect(shown("stdout")).toBe("ran document.title\n");
    expect(shown("result")).toBe("result of document.title");
    expect(shown("output")).toBe("");
    expect(latest().response).toMatchObject({ success: true, stderr: "", exitCode: 0, killed: false });
    expect(latest().error).toBeNull();
    expect(latest().isRunning).toBe(false);
    expect(statuses).toEqual(["idle", "creating", "live"]);
  });

  it("runs a prompt with its body as given and exposes the agent's output", async () => {
    const api = fakeScrapeApi();
    renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID, prompt: { prompt: "Open the pricing page" } });
    click("run prompt");
    await waitForScrapeStatus("live");
    expect(api.calls.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "POST", path: PATH, body: { prompt: "Open the pricing page" } },
    ]);
    expect(shown("output")).toBe("done: Open the pricing page");
    expect(shown("stdout")).toBe("");
    expect(shown("result")).toBe("");
  });

  it("publishes the live-view URLs once the first call answers; <LiveView> frames the interactive one", async () => {
    const gate = deferred();
    const api = fakeScrapeApi({ onInteract: () => gate.promise.then(() => undefined) });
    renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    expect(iframe()).toBeNull();
    expect(announced()).toBe("No live session");
    click("run code");
    // The first call is still running: nothing to show yet but "connecting".
    await waitFor(() => expect(api.count("POST")).toBe(1));
    expect(shown("status")).toBe("creating");
    expect(shown("running")).toBe("true");
    expect(shown("live")).toBe("");
    expect(iframe()).toBeNull();
    expect(announced()).toBe("Connecting…");
    await act(async () => gate.resolve());
    await waitForScrapeStatus("live");
    expect(shown("live")).toBe(LIVE);
    expect(shown("interactive")).toBe(INTERACTIVE);
    expect(iframe()?.getAttribute("src")).toBe(INTERACTIVE);
    act(() => {
      iframe()?.dispatchEvent(new Event("load"));
    });
    expect(announced()).toBe("Live view connected (interactive)");
  });

  it("later calls reuse the browser, keep the published URLs (and the iframe) when they return none", async () => {
    const api = fakeScrapeApi({ urlsOnFirstCallOnly: true });
    const { latest } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    const session = latest().session;
    const frame = iframe();
    click("run prompt");
    await waitFor(() => expect(shown("output")).toBe("done: Accept the cookies"));
    expect(api.requests()).toEqual([`POST ${PATH}`, `POST ${PATH}`]);
    expect(api.openIds()).toEqual([SCRAPE_ID]);
    expect(latest().session).toBe(session);
    expect(shown("interactive")).toBe(INTERACTIVE);
    expect(iframe()).toBe(frame);
    // The prompt's answer replaced the code's: stdout/result belong to the last call.
    expect(shown("stdout")).toBe("");
  });

  it("sends calls one after another, so quick calls never open two browsers", async () => {
    const gate = deferred();
    const api = fakeScrapeApi({
      onInteract: (_call, index) => (index === 0 ? gate.promise.then(() => undefined) : undefined),
    });
    const { latest } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    click("run prompt");
    await settle();
    expect(api.count("POST")).toBe(1);
    expect(latest().isRunning).toBe(true);
    await act(async () => gate.resolve());
    await waitFor(() => expect(shown("output")).toBe("done: Accept the cookies"));
    expect(api.calls.map((call) => call.body)).toEqual([{ code: "1 + 1" }, { prompt: "Accept the cookies" }]);
    expect(latest().isRunning).toBe(false);
  });

  it("run() resolves with the answer", async () => {
    const api = fakeScrapeApi();
    const { latest } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    let answer: unknown;
    await act(async () => {
      answer = await latest().run({ code: "42" });
    });
    expect(answer).toMatchObject({ success: true, result: "result of 42", liveViewUrl: LIVE });
  });
});

describe("useScrapeInteraction: errors", () => {
  it("a 404 on the first call is a typed InteractApiError, nothing is open and unmount stops nothing", async () => {
    const api = fakeScrapeApi();
    const { latest, statuses, unmount } = renderScrapeHarness(api.client, { scrapeId: UNKNOWN_SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("error");
    const error = latest().error;
    expect(error).toBeInstanceOf(InteractApiError);
    expect(error).toMatchObject({ status: 404, code: "http_404", message: "Scrape job not found" });
    expect(shown("error")).toBe("404:http_404");
    expect(latest().response).toBeNull();
    expect(latest().session).toBeNull();
    expect(iframe()).toBeNull();
    unmount();
    await settle();
    expect(api.requests()).toEqual([`POST /scrape/${UNKNOWN_SCRAPE_ID}/interact`]);
    expect(statuses).toEqual(["idle", "creating", "error"]);
  });

  it("a failed later call keeps the browser live with its typed error, and a retry clears it", async () => {
    const api = fakeScrapeApi({
      onInteract: (_call, index) =>
        index === 1
          ? { status: 429, json: { success: false, error: "Slow down" }, headers: { "Retry-After": "3" } }
          : undefined,
    });
    const { latest, unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    click("run prompt");
    await waitFor(() => expect(shown("error")).toBe("429:http_429"));
    expect(latest().error).toMatchObject({ status: 429, retryAfterMs: 3000 });
    expect(shown("status")).toBe("live");
    expect(latest().response).toBeNull();
    expect(shown("interactive")).toBe(INTERACTIVE);
    click("run prompt");
    await waitFor(() => expect(shown("output")).toBe("done: Accept the cookies"));
    expect(latest().error).toBeNull();
    unmount();
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
  });

  it("a network failure is an InteractApiError with status 0", async () => {
    const api = fakeScrapeApi({ onInteract: () => ({ networkError: "connection refused" }) });
    const { latest } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("error");
    expect(latest().error).toBeInstanceOf(InteractApiError);
    expect(latest().error).toMatchObject({ status: 0, code: "network_error" });
  });

  const invalid: { name: string; scrapeId?: string; body: ScrapeInteractRequest; field: string; rule: string }[] = [
    { name: "an empty code", body: { code: "" }, field: "code", rule: "minLength" },
    { name: "a timeout over 300 s", body: { code: "1", timeout: 301 }, field: "timeout", rule: "maximum" },
    {
      name: "an unknown language",
      body: { code: "1", language: "ruby" as "node" },
      field: "language",
      rule: "enum",
    },
    {
      name: "both code and prompt",
      body: { code: "1", prompt: "click" } as unknown as ScrapeInteractRequest,
      field: "",
      rule: "oneOf",
    },
    {
      name: "a scrape id that is not a UUID",
      scrapeId: "../admin",
      body: { code: "1" },
      field: "jobId",
      rule: "format",
    },
  ];
  for (const testCase of invalid) {
    it(`${testCase.name} is refused as an InteractValidationError with zero requests`, async () => {
      const api = fakeScrapeApi();
      const { latest, unmount } = renderScrapeHarness(api.client, {
        scrapeId: testCase.scrapeId ?? SCRAPE_ID,
        code: testCase.body,
      });
      click("run code");
      await waitForScrapeStatus("error");
      expect(latest().error).toBeInstanceOf(InteractValidationError);
      expect(latest().error).toMatchObject({ code: "invalid_request", rule: testCase.rule });
      if (testCase.field) expect(latest().error).toMatchObject({ field: testCase.field });
      unmount();
      await settle();
      expect(api.calls).toEqual([]);
    });
  }
});

describe("useScrapeInteraction: stop and unmount", () => {
  it("unmount under StrictMode sends exactly one DELETE for a browser a call opened", async () => {
    const api = fakeScrapeApi();
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID }, { strict: true });
    // StrictMode's simulated unmount stops nothing.
    await settle();
    expect(api.calls).toEqual([]);
    click("run code");
    await waitForScrapeStatus("live");
    unmount();
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    await settle();
    expect(api.calls.filter((call) => call.method === "DELETE")).toEqual([
      { method: "DELETE", path: PATH, body: undefined, keepalive: false },
    ]);
    expect(api.requests()).toEqual([`POST ${PATH}`, `DELETE ${PATH}`]);
    expect(api.openIds()).toEqual([]);
  });

  it("unmount sends nothing when no call opened a browser (StrictMode, no call)", async () => {
    const api = fakeScrapeApi();
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID }, { strict: true });
    await settle();
    click("stop");
    unmount();
    await settle();
    expect(api.calls).toEqual([]);
  });

  it("a null or undefined scrapeId does nothing: run resolves null, no request, idle", async () => {
    for (const scrapeId of [null, undefined, ""]) {
      const api = fakeScrapeApi();
      const { latest, unmount } = renderScrapeHarness(api.client, { scrapeId }, { strict: true });
      let answer: unknown = "unset";
      await act(async () => {
        answer = await latest().run({ code: "1" });
      });
      click("stop");
      expect(answer).toBeNull();
      expect(shown("status")).toBe("idle");
      expect(latest().isRunning).toBe(false);
      unmount();
      await settle();
      expect(api.calls).toEqual([]);
      cleanup();
    }
  });

  it("stop() twice sends one DELETE and shows the ended overlay; a later unmount sends none", async () => {
    const api = fakeScrapeApi();
    const { statuses, unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    click("stop");
    click("stop");
    expect(shown("status")).toBe("ended");
    expect(announced()).toBe("Session ended");
    expect(iframe()).toBeNull();
    await waitFor(() => expect(api.openIds()).toEqual([]));
    click("stop");
    unmount();
    await settle();
    expect(api.count("DELETE")).toBe(1);
    expect(statuses).toEqual(["idle", "creating", "live", "ended"]);
  });

  it("a run() from a stale closure after unmount sends nothing", async () => {
    const api = fakeScrapeApi();
    const { latest, unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID }, { strict: true });
    const { run } = latest();
    unmount();
    await settle();
    expect(await run({ code: "1" })).toBeNull();
    await settle();
    expect(api.calls).toEqual([]);
  });

  it("stopOnUnmount: false leaves the browser running after unmount", async () => {
    const api = fakeScrapeApi();
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID, stopOnUnmount: false });
    click("run code");
    await waitForScrapeStatus("live");
    unmount();
    await settle();
    expect(api.count("DELETE")).toBe(0);
    expect(api.openIds()).toEqual([SCRAPE_ID]);
  });

  it("unmount while the first call runs stops the browser once that call answers", async () => {
    const gate = deferred();
    const api = fakeScrapeApi({ onInteract: () => gate.promise.then(() => undefined) });
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID }, { strict: true });
    click("run code");
    await waitFor(() => expect(api.count("POST")).toBe(1));
    unmount();
    await settle();
    expect(api.count("DELETE")).toBe(0);
    gate.resolve();
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    await settle();
    expect(api.requests()).toEqual([`POST ${PATH}`, `DELETE ${PATH}`]);
    expect(api.openIds()).toEqual([]);
  });

  it("unmount while the first call runs sends no DELETE when that call fails", async () => {
    const gate = deferred();
    const api = fakeScrapeApi({
      onInteract: () => gate.promise.then(() => ({ status: 500, json: { success: false, error: "boom" } })),
    });
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitFor(() => expect(api.count("POST")).toBe(1));
    unmount();
    gate.resolve();
    await settle();
    await settle();
    expect(api.requests()).toEqual([`POST ${PATH}`]);
  });

  it("stop during a later call sends the DELETE at once, skips queued calls, ignores the late answer", async () => {
    const gate = deferred();
    const api = fakeScrapeApi({
      onInteract: (_call, index) => (index === 1 ? gate.promise.then(() => undefined) : undefined),
    });
    const { statuses, unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    click("run prompt");
    click("run code");
    await waitFor(() => expect(api.count("POST")).toBe(2));
    click("stop");
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    await act(async () => gate.resolve());
    await settle();
    expect(shown("status")).toBe("ended");
    expect(shown("output")).toBe("");
    unmount();
    await settle();
    expect(api.requests()).toEqual([`POST ${PATH}`, `POST ${PATH}`, `DELETE ${PATH}`]);
    expect(statuses).toEqual(["idle", "creating", "live", "ended"]);
  });

  it("pagehide sends one keepalive DELETE (StrictMode keeps the listener); unmount afterwards sends none", async () => {
    const api = fakeScrapeApi();
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID }, { strict: true });
    click("run code");
    await waitForScrapeStatus("live");
    act(() => {
      window.dispatchEvent(new Event("pagehide"));
    });
    expect(shown("status")).toBe("ended");
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    expect(api.calls.find((call) => call.method === "DELETE")).toMatchObject({ path: PATH, keepalive: true });
    unmount();
    await settle();
    expect(api.count("DELETE")).toBe(1);
  });

  it("stopOnPageHide: false ignores pagehide", async () => {
    const api = fakeScrapeApi();
    renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID, stopOnPageHide: false });
    click("run code");
    await waitForScrapeStatus("live");
    act(() => {
      window.dispatchEvent(new Event("pagehide"));
    });
    await settle();
    expect(api.count("DELETE")).toBe(0);
    expect(shown("status")).toBe("live");
  });

  it("a failed DELETE shows its typed error in `error`, and stop() retries it", async () => {
    const api = fakeScrapeApi({ onStop: (_call, index) => (index === 0 ? { status: 502, json: {} } : undefined) });
    const { statuses } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    click("stop");
    await waitForScrapeStatus("error");
    expect(shown("error")).toBe("502:http_502");
    expect(api.openIds()).toEqual([SCRAPE_ID]);
    click("stop");
    await waitFor(() => expect(api.openIds()).toEqual([]));
    expect(shown("status")).toBe("ended");
    expect(api.count("DELETE")).toBe(2);
    expect(statuses).toEqual(["idle", "creating", "live", "ended", "error", "ended"]);
  });

  it("a DELETE answered 404 (already gone) counts as stopped: no error, no retry on unmount", async () => {
    const api = fakeScrapeApi({ onStop: () => ({ status: 404, json: { success: false, error: "gone" } }) });
    const { unmount } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    click("stop");
    await settle();
    expect(shown("status")).toBe("ended");
    expect(shown("error")).toBe("");
    unmount();
    await settle();
    expect(api.count("DELETE")).toBe(1);
  });

  it("a call after stop goes out after the DELETE and publishes the new browser's URLs", async () => {
    const api = fakeScrapeApi();
    renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID });
    click("run code");
    await waitForScrapeStatus("live");
    click("stop");
    click("run prompt");
    expect(shown("status")).toBe("creating");
    expect(shown("live")).toBe("");
    await waitForScrapeStatus("live");
    expect(api.requests()).toEqual([`POST ${PATH}`, `DELETE ${PATH}`, `POST ${PATH}`]);
    expect(shown("live")).toBe(fakeLiveViewUrl(SCRAPE_ID, 2));
  });

  it("a new scrapeId stops the old scrape's browser once and starts from idle", async () => {
    const api = fakeScrapeApi();
    const { rerender, unmount, latest } = renderScrapeHarness(api.client, { scrapeId: SCRAPE_ID }, { strict: true });
    click("run code");
    await waitForScrapeStatus("live");
    rerender({ scrapeId: OTHER_SCRAPE_ID });
    expect(shown("status")).toBe("idle");
    expect(latest().session).toBeNull();
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    click("run code");
    await waitForScrapeStatus("live");
    expect(shown("live")).toBe(fakeLiveViewUrl(OTHER_SCRAPE_ID));
    unmount();
    await waitFor(() => expect(api.count("DELETE")).toBe(2));
    await settle();
    expect(api.requests()).toEqual([
      `POST ${PATH}`,
      `DELETE ${PATH}`,
      `POST /scrape/${OTHER_SCRAPE_ID}/interact`,
      `DELETE /scrape/${OTHER_SCRAPE_ID}/interact`,
    ]);
  });
});
