import { act, cleanup, configure, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode, useEffect } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InteractApiError, type InteractClient, InteractValidationError } from "../client/index.js";
import { InteractProvider } from "./provider.js";
import { deferred, type FakeReply, fakeInteractApi } from "./test-helpers/fakeInteractApi.js";
import {
  type UseInteractSessionOptions,
  type UseInteractSessionResult,
  useInteractSession,
} from "./useInteractSession.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Renders the hook's state as text and exposes start/stop buttons; records every status it went through. */
function Harness(props: UseInteractSessionOptions & { onResult?: (result: UseInteractSessionResult) => void }) {
  const { onResult, ...options } = props;
  const result = useInteractSession(options);
  useEffect(() => onResult?.(result));
  return (
    <div>
      <output data-testid="status">{result.status}</output>
      <output data-testid="session">{result.session?.id ?? ""}</output>
      <output data-testid="error">
        {result.error instanceof InteractApiError
          ? `${result.error.status}:${result.error.code}`
          : (result.error?.code ?? "")}
      </output>
      <button type="button" onClick={() => void result.start()}>
        start
      </button>
      <button type="button" onClick={() => void result.stop()}>
        stop
      </button>
    </div>
  );
}

function renderHarness(
  client: InteractClient,
  props: Parameters<typeof Harness>[0] = {},
  { strict = false }: { strict?: boolean } = {},
) {
  const statuses: string[] = [];
  const onResult = (result: UseInteractSessionResult) => {
    if (statuses.at(-1) !== result.status) statuses.push(result.status);
    props.onResult?.(result);
  };
  const tree = (
    <InteractProvider client={client}>
      <Harness {...props} onResult={onResult} />
    </InteractProvider>
  );
  const view = render(strict ? <StrictMode>{tree}</StrictMode> : tree);
  return { ...view, statuses };
}

const status = () => screen.getByTestId("status").textContent;
const waitForStatus = (expected: string) => waitFor(() => expect(status()).toBe(expected));

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
