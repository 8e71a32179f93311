import { act, cleanup, configure, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InteractApiError, InteractValidationError } from "../client/index.js";
import { type FakeReply, fakeInteractApi } from "./test-helpers/fake-interact-api.js";
import { renderHarness, status, waitForStatus } from "./test-helpers/harness.js";
import type { UseInteractSessionResult } from "./use-interact-session.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("useInteractSession: errors", () => {
  const cases: { name: string; reply: FakeReply; status: number; code: string; retryAfterMs?: number }[] = [
    {
      name: "402 out of credits",
      reply: { status: 402, json: { error: "Payment required" } },
      status: 402,
      code: "http_402",
    },
    {
      name: "409 profile busy",
      reply: { status: 409, json: { success: false, error: "Profile is in use", code: "profile_busy" } },
      status: 409,
      code: "profile_busy",
    },
    {
      name: "429 with Retry-After",
      reply: { status: 429, json: { success: false, error: "Too many sessions" }, headers: { "Retry-After": "7" } },
      status: 429,
      code: "http_429",
      retryAfterMs: 7000,
    },
    {
      name: "502 upstream",
      reply: { status: 502, json: { success: false, error: "Browser failed" } },
      status: 502,
      code: "http_502",
    },
    { name: "network failure", reply: { networkError: "connection refused" }, status: 0, code: "network_error" },
  ];

  for (const testCase of cases) {
    it(`${testCase.name} reaches \`error\` with its code, leaves nothing live, and a retry makes one session`, async () => {
      const api = fakeInteractApi({ onCreate: (_call, index) => (index === 0 ? testCase.reply : undefined) });
      let latest: UseInteractSessionResult | undefined;
      const { statuses } = renderHarness(api.client, { autoStart: true, onResult: (result) => (latest = result) });
      await waitForStatus("error");
      const error = latest?.error;
      if (!(error instanceof InteractApiError)) throw new Error(`expected an InteractApiError, got ${String(error)}`);
      expect(error.status).toBe(testCase.status);
      expect(error.code).toBe(testCase.code);
      expect(error.retryAfterMs).toBe(testCase.retryAfterMs);
      expect(latest?.session).toBeNull();
      expect(api.activeIds()).toEqual([]);
      fireEvent.click(screen.getByRole("button", { name: "stop" }));
      expect(api.count("DELETE")).toBe(0);
      fireEvent.click(screen.getByRole("button", { name: "start" }));
      fireEvent.click(screen.getByRole("button", { name: "start" }));
      await waitForStatus("live");
      expect(api.count("POST")).toBe(2);
      expect(api.activeIds()).toEqual(["sess_1"]);
      expect(statuses).toEqual(["idle", "creating", "error", "creating", "live"]);
    });
  }

  it("an invalid body is refused before sending, as an InteractValidationError", async () => {
    const api = fakeInteractApi();
    let latest: UseInteractSessionResult | undefined;
    renderHarness(api.client, { autoStart: true, body: { ttl: 5 }, onResult: (result) => (latest = result) });
    await waitForStatus("error");
    expect(latest?.error).toBeInstanceOf(InteractValidationError);
    expect(latest?.error).toMatchObject({ code: "invalid_request", field: "ttl", rule: "minimum", limit: 30 });
    expect(api.calls).toEqual([]);
  });

  it("a create answer without an id is an invalid_response error", async () => {
    const api = fakeInteractApi({ onCreate: () => ({ json: { success: true } }) });
    renderHarness(api.client, { autoStart: true });
    await waitForStatus("error");
    expect(screen.getByTestId("error").textContent).toBe("200:invalid_response");
  });
});

describe("useInteractSession: expiry", () => {
  /** Lets fetch and React settle while timers are fake. */
  async function settle(until: () => boolean) {
    for (let round = 0; round < 100 && !until(); round++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(0);
        await new Promise<void>((resolve) => queueMicrotask(resolve));
      });
    }
    expect(until()).toBe(true);
  }

  it("counts remainingMs down from expiresAt, expires at 0 and calls onExpire once, without a DELETE", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const api = fakeInteractApi();
    const onExpire = vi.fn();
    const remaining: (number | null)[] = [];
    const soon: boolean[] = [];
    const { statuses, unmount } = renderHarness(api.client, {
      autoStart: true,
      body: { ttl: 30 },
      expiryWarningMs: 10_000,
      onExpire,
      onResult: (result) => {
        if (remaining.at(-1) !== result.remainingMs) {
          remaining.push(result.remainingMs);
          soon.push(result.isExpiringSoon);
        }
      },
    });
    await settle(() => status() === "live");
    expect(remaining.at(-1)).toBe(30_000);
    await act(() => vi.advanceTimersByTimeAsync(19_000));
    expect(remaining.at(-1)).toBe(11_000);
    expect(soon.at(-1)).toBe(false);
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(remaining.at(-1)).toBe(10_000);
    expect(soon.at(-1)).toBe(true);
    expect(onExpire).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(status()).toBe("expired");
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(onExpire).toHaveBeenCalledTimes(1);
    expect(onExpire.mock.calls[0]?.[0]).toMatchObject({ id: "sess_1" });
    expect(statuses).toEqual(["idle", "creating", "live", "expired"]);
    expect(remaining).toEqual([null, 30_000, ...Array.from({ length: 29 }, (_, i) => 29_000 - i * 1000), 0]);
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(api.count("DELETE")).toBe(0);
  });

  it("estimates expiry from ttl and the request time when expiresAt is absent, flagged isEstimate", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const api = fakeInteractApi({ omitExpiresAt: true });
    const onExpire = vi.fn();
    let latest: UseInteractSessionResult | undefined;
    const { statuses } = renderHarness(api.client, {
      autoStart: true,
      body: { ttl: 45 },
      onExpire,
      onResult: (result) => (latest = result),
    });
    await settle(() => status() === "live");
    expect(latest?.isEstimate).toBe(true);
    expect(latest?.remainingMs).toBe(45_000);
    await act(() => vi.advanceTimersByTimeAsync(44_999));
    expect(status()).toBe("live");
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(status()).toBe("expired");
    expect(latest?.remainingMs).toBe(0);
    expect(onExpire).toHaveBeenCalledTimes(1);
    expect(statuses).toEqual(["idle", "creating", "live", "expired"]);
  });
});
