import { existsSync } from "node:fs";
import { operations } from "firecrawl-interact/core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { processGroupMembers } from "../browser/processes.js";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  LiveViewClient,
  startSuiteEmulator,
  waitFor,
} from "../test-helpers/index.js";

// The spec's lower bounds: the fastest a session can expire.
const CREATE = operations.createBrowserSession.body.properties;
const MIN_TTL = CREATE.ttl.minimum;
const MIN_ACTIVITY_TTL = CREATE.activityTtl.minimum;
const MAX_ACTIVITY_TTL = CREATE.activityTtl.maximum;
const SLACK_MS = 15_000;

let emulator: Emulator;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  emulator = await startSuiteEmulator("emulator.expiry", { warmPool: 0 });
});

afterAll(() => finishSuite("emulator.expiry", emulator, processesBefore));

async function create(body: Record<string, unknown>) {
  // The server's timers start while the request is in flight: only the time before it is a safe lower bound.
  const requestedAt = Date.now();
  const answer = await call(emulator, "POST", "/interact", { body });
  expect(answer.status).toBe(200);
  const created = answer.body as { id: string; cdpUrl: string; liveViewUrl: string; expiresAt: string };
  const info = emulator.sessions().find((session) => session.id === created.id);
  if (!info) throw new Error("session not known to the emulator");
  return { ...created, requestedAt, pid: info.pid, userDataDir: info.userDataDir };
}

async function expectDestroyed(session: { id: string; pid: number; userDataDir: string }) {
  const listed = (await call(emulator, "GET", "/interact?status=destroyed")).body.sessions as { id: string }[];
  expect(listed.map((entry) => entry.id)).toContain(session.id);
  const executed = await call(emulator, "POST", `/interact/${session.id}/execute`, { body: { code: "1" } });
  expect([executed.status, executed.body.code]).toEqual([410, "session_destroyed"]);
  await waitFor("Chromium to be gone", () => processGroupMembers(session.pid).length === 0, 10_000);
  await waitFor("its temp dir to be removed", () => !existsSync(session.userDataDir), 10_000);
}

// Timers run in parallel so the file takes about one ttl, not the sum of them.
describe.concurrent("lifecycle timers", () => {
  test("ttl ends the session at expiresAt; the live view is told it expired", {
    timeout: (MIN_TTL + 40) * 1000,
  }, async () => {
    const session = await create({ ttl: MIN_TTL, activityTtl: MAX_ACTIVITY_TTL });
    const viewer = new LiveViewClient(session.liveViewUrl);
    const ended = await viewer.message("ended", MIN_TTL * 1000 + SLACK_MS + 10_000);
    const endedAt = Date.now();
    expect(ended).toEqual({ type: "ended", reason: "expired" });
    expect(endedAt).toBeGreaterThanOrEqual(Date.parse(session.expiresAt) - 50);
    expect(endedAt).toBeLessThan(Date.parse(session.expiresAt) + SLACK_MS);
    expect(emulator.sessions().find((entry) => entry.id === session.id)?.endReason).toBe("expired");
    await expectDestroyed(session);
  });

  test("activityTtl ends an idle session even while a read-only viewer watches", { timeout: 60_000 }, async () => {
    const session = await create({ activityTtl: MIN_ACTIVITY_TTL });
    const viewer = new LiveViewClient(session.liveViewUrl);
    await viewer.nextFrame();
    // Input from a read-only viewer is ignored, so it does not count as activity either.
    viewer.click(10, 10);
    const ended = await viewer.message("ended", MIN_ACTIVITY_TTL * 1000 + SLACK_MS + 10_000);
    expect(ended).toEqual({ type: "ended", reason: "idle" });
    expect(Date.now() - session.requestedAt).toBeGreaterThanOrEqual(MIN_ACTIVITY_TTL * 1000);
    await expectDestroyed(session);
  });

  test("CDP traffic keeps a session alive past activityTtl; it ends once the traffic stops", {
    timeout: 90_000,
  }, async () => {
    const session = await create({ activityTtl: MIN_ACTIVITY_TTL });
    const browser = await chromium.connectOverCDP(session.cdpUrl);
    const page = browser.contexts()[0]?.pages()[0];
    if (!page) throw new Error("no page");
    const keepAliveUntil = Date.now() + MIN_ACTIVITY_TTL * 1000 * 1.5;
    while (Date.now() < keepAliveUntil) {
      await page.evaluate("1 + 1");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const active = (await call(emulator, "GET", "/interact?status=active")).body.sessions as { id: string }[];
    expect(active.map((entry) => entry.id)).toContain(session.id);
    const lastTraffic = Date.now();
    await waitFor("the idle end", () => !browser.isConnected(), MIN_ACTIVITY_TTL * 1000 + SLACK_MS + 10_000);
    expect(Date.now() - lastTraffic).toBeGreaterThanOrEqual(MIN_ACTIVITY_TTL * 1000 - 1_500);
    expect(emulator.sessions().find((entry) => entry.id === session.id)?.endReason).toBe("idle");
    await expectDestroyed(session);
  });
});
