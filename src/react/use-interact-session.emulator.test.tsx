import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { type Emulator, startEmulator } from "firecrawl-interact-emulator";
import { StrictMode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createInteractClient, type InteractClient } from "../client/index.js";
import { LiveView } from "./live-view.js";
import { checkLiveViewUrl } from "./live-view-url.js";
import { InteractProvider } from "./provider.js";
import {
  type UseInteractSessionOptions,
  type UseInteractSessionResult,
  useInteractSession,
} from "./use-interact-session.js";

// The real emulator on real Chromium, no fetch double: what crosses the wire is what the hook sees.
const SLOW = { timeout: 90_000 };
const WAIT = { timeout: 60_000, interval: 50 };

let emulator: Emulator;
let client: InteractClient;

beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, warmPool: 1, faults: true });
  client = createInteractClient({ baseUrl: emulator.url, apiKey: "fc-test" });
}, 90_000);

afterEach(() => {
  cleanup();
  emulator?.clearFaults();
});

afterAll(async () => {
  if (!emulator) return;
  const pids = emulator.spawnedPids();
  await emulator.close();
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  expect(alive).toEqual([]);
}, 90_000);

let latest: UseInteractSessionResult | undefined;

function Lifecycle(options: UseInteractSessionOptions) {
  const session = useInteractSession(options);
  latest = session;
  return (
    <>
      <span data-testid="status">{session.status}</span>
      <LiveView session={session.session} status={session.status} />
    </>
  );
}

function renderLifecycle(options: UseInteractSessionOptions) {
  return render(
    <StrictMode>
      <InteractProvider client={client}>
        <Lifecycle {...options} />
      </InteractProvider>
    </StrictMode>,
  );
}

const status = () => screen.getByTestId("status").textContent;
const sessionsOnEmulator = () => emulator.sessions();

describe("useInteractSession against the emulator", () => {
  it(
    "StrictMode autoStart creates exactly one real session, frames its live view, and unmount destroys it",
    SLOW,
    async () => {
      const before = sessionsOnEmulator().length;
      const { unmount } = renderLifecycle({ autoStart: true, body: { ttl: 120 } });
      await waitFor(() => expect(status()).toBe("live"), WAIT);

      const created = sessionsOnEmulator().slice(before);
      expect(created.map(({ id, status }) => ({ id, status }))).toEqual([
        { id: latest?.session?.id, status: "active" },
      ]);
      expect(latest?.isEstimate).toBe(false);
      expect(latest?.remainingMs).toBeGreaterThan(100_000);
      expect(latest?.remainingMs).toBeLessThanOrEqual(120_000);
      const liveViewUrl = latest?.session?.liveViewUrl ?? "";
      expect(checkLiveViewUrl(liveViewUrl).ok).toBe(true);
      expect(document.querySelector("iframe")?.getAttribute("src")).toBe(new URL(liveViewUrl).href);

      unmount();
      const id = created[0]?.id;
      await waitFor(() => {
        const session = sessionsOnEmulator().find((entry) => entry.id === id);
        expect(session).toMatchObject({ status: "destroyed", endReason: "deleted" });
      }, WAIT);
      expect(sessionsOnEmulator().length - before).toBe(1);
      const listed = await client.listSessions({ status: "destroyed" });
      expect(listed.sessions?.some((session) => session.id === id)).toBe(true);
    },
  );

  it(
    "a 429 from the emulator reaches `error` with its code and retry time; the retry makes one session",
    SLOW,
    async () => {
      emulator.injectFault({ operationId: "createBrowserSession", status: 429, retryAfter: 3 });
      const before = sessionsOnEmulator().length;
      const { unmount } = renderLifecycle({ autoStart: true });
      await waitFor(() => expect(status()).toBe("error"), WAIT);
      expect(latest?.error).toMatchObject({ status: 429, code: "rate_limited", retryAfterMs: 3000 });
      expect(sessionsOnEmulator().length).toBe(before);

      void latest?.start();
      void latest?.start();
      await waitFor(() => expect(status()).toBe("live"), WAIT);
      expect(sessionsOnEmulator().length - before).toBe(1);
      await latest?.stop();
      expect(status()).toBe("ended");
      expect(sessionsOnEmulator().find((entry) => entry.id === latest?.session?.id)?.status).toBe("destroyed");
      unmount();
    },
  );

  it("a create that answers after unmount is destroyed on the emulator right away", SLOW, async () => {
    emulator.injectFault({ operationId: "createBrowserSession", delayMs: 1500 });
    const before = sessionsOnEmulator().length;
    const { unmount } = renderLifecycle({ autoStart: true });
    expect(status()).toBe("creating");
    unmount();
    await waitFor(() => {
      const created = sessionsOnEmulator().slice(before);
      expect(created.map((entry) => ({ status: entry.status, endReason: entry.endReason }))).toEqual([
        { status: "destroyed", endReason: "deleted" },
      ]);
    }, WAIT);
  });
});
