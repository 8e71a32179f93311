import { act, cleanup, configure, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deferred, fakeInteractApi } from "./test-helpers/fake-interact-api.js";
import { renderHarness, status, waitForStatus } from "./test-helpers/harness.js";
import type { UseInteractSessionResult } from "./use-interact-session.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("useInteractSession: one POST per start intent", () => {
  it("autoStart under StrictMode sends exactly one POST and never deletes the live session", async () => {
    const api = fakeInteractApi();
    const { statuses } = renderHarness(api.client, { autoStart: true }, { strict: true });
    await waitForStatus("live");
    // Give a stray deferred stop every chance to run before counting.
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(api.count("POST")).toBe(1);
    expect(api.count("DELETE")).toBe(0);
    expect(api.activeIds()).toEqual(["sess_1"]);
    expect(statuses).toEqual(["idle", "creating", "live"]);
  });

  it("a double click sends one POST, and clicking again while live sends none", async () => {
    const api = fakeInteractApi();
    renderHarness(api.client, {}, { strict: true });
    const start = screen.getByRole("button", { name: "start" });
    fireEvent.click(start);
    fireEvent.click(start);
    await waitForStatus("live");
    fireEvent.click(start);
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(api.count("POST")).toBe(1);
    expect(screen.getByTestId("session").textContent).toBe("sess_1");
  });

  it("start() called twice returns the same promise and one session", async () => {
    const api = fakeInteractApi();
    let latest: UseInteractSessionResult | undefined;
    renderHarness(api.client, { onResult: (result) => (latest = result) });
    let first: Promise<unknown> = Promise.resolve();
    let second: Promise<unknown> = Promise.resolve();
    act(() => {
      first = latest?.start() ?? first;
      second = latest?.start() ?? second;
    });
    expect(first).toBe(second);
    await act(async () => {
      expect(await first).toMatchObject({ id: "sess_1" });
    });
    expect(api.count("POST")).toBe(1);
  });
});

describe("useInteractSession: stop and unmount", () => {
  it("unmount of a live session sends exactly one DELETE, under StrictMode too", async () => {
    const api = fakeInteractApi();
    const { unmount } = renderHarness(api.client, { autoStart: true }, { strict: true });
    await waitForStatus("live");
    unmount();
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual(["/interact/sess_1"]);
    expect(api.activeIds()).toEqual([]);
  });

  it("stop() twice sends one DELETE, ends in `ended`, and a later unmount sends none", async () => {
    const api = fakeInteractApi();
    const { statuses, unmount } = renderHarness(api.client, { autoStart: true });
    await waitForStatus("live");
    const stop = screen.getByRole("button", { name: "stop" });
    fireEvent.click(stop);
    fireEvent.click(stop);
    expect(status()).toBe("ended");
    await waitFor(() => expect(api.activeIds()).toEqual([]));
    fireEvent.click(stop);
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.count("DELETE")).toBe(1);
    expect(statuses).toEqual(["idle", "creating", "live", "ended"]);
  });

  it("stopOnUnmount: false keeps the session running after unmount", async () => {
    const api = fakeInteractApi();
    const { unmount } = renderHarness(api.client, { autoStart: true, stopOnUnmount: false });
    await waitForStatus("live");
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.count("DELETE")).toBe(0);
    expect(api.activeIds()).toEqual(["sess_1"]);
  });

  it("a create that answers after stop() is deleted at once (one DELETE) and never shown live", async () => {
    const gate = deferred();
    const api = fakeInteractApi({ onCreate: () => gate.promise.then(() => undefined) });
    const { statuses } = renderHarness(api.client, { autoStart: true });
    await waitForStatus("creating");
    fireEvent.click(screen.getByRole("button", { name: "stop" }));
    expect(status()).toBe("ended");
    await act(async () => gate.resolve());
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    expect(api.activeIds()).toEqual([]);
    expect(statuses).toEqual(["idle", "creating", "ended"]);
  });

  it("a create that answers after unmount is deleted at once", async () => {
    const gate = deferred();
    const api = fakeInteractApi({ onCreate: () => gate.promise.then(() => undefined) });
    const { unmount } = renderHarness(api.client, { autoStart: true }, { strict: true });
    await waitForStatus("creating");
    unmount();
    gate.resolve();
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    expect(api.count("POST")).toBe(1);
    expect(api.activeIds()).toEqual([]);
  });

  it("pagehide sends one keepalive DELETE and ends the session; unmount afterwards sends none", async () => {
    const api = fakeInteractApi();
    const { unmount } = renderHarness(api.client, { autoStart: true });
    await waitForStatus("live");
    act(() => {
      window.dispatchEvent(new Event("pagehide"));
    });
    expect(status()).toBe("ended");
    await waitFor(() => expect(api.count("DELETE")).toBe(1));
    expect(api.calls.find((call) => call.method === "DELETE")?.keepalive).toBe(true);
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.count("DELETE")).toBe(1);
  });

  it("a failed DELETE keeps the session visible in `error`, and stop() retries it", async () => {
    const api = fakeInteractApi({ onDelete: (_call, index) => (index === 0 ? { status: 502, json: {} } : undefined) });
    renderHarness(api.client, { autoStart: true });
    await waitForStatus("live");
    fireEvent.click(screen.getByRole("button", { name: "stop" }));
    await waitForStatus("error");
    expect(screen.getByTestId("error").textContent).toBe("502:http_502");
    expect(screen.getByTestId("session").textContent).toBe("sess_1");
    fireEvent.click(screen.getByRole("button", { name: "stop" }));
    await waitFor(() => expect(api.activeIds()).toEqual([]));
    expect(status()).toBe("ended");
    expect(api.count("DELETE")).toBe(2);
  });
});
