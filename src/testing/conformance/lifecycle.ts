import { describe, expect, it } from "vitest";
import { type ConformanceBackend, SUITE_CODE } from "./backend.js";
import { call, clientOf, deleteAll, expectError } from "./helpers.js";

const GONE = { code: "session_destroyed", error: "Session already destroyed", details: { reason: "deleted" } };

/** A new session: an id, live-view and CDP URLs, expiresAt = createdAt + ttl, listed active with the same URLs. */
async function createdAndListed(backend: ConformanceBackend) {
  const client = clientOf(backend);
  const created = await client.createSession({ ttl: 120 });
  try {
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new URL(created.liveViewUrl ?? "").protocol).toMatch(/^https?:$/);
    expect(new URL(created.interactiveLiveViewUrl ?? "").protocol).toMatch(/^https?:$/);
    expect(created.interactiveLiveViewUrl).not.toBe(created.liveViewUrl);
    expect(new URL(created.cdpUrl ?? "").protocol).toMatch(/^wss?:$/);
    const { sessions = [] } = await client.listSessions({ status: "active" });
    const entry = sessions.find((session) => session.id === created.id);
    const { liveViewUrl, interactiveLiveViewUrl } = created;
    expect(entry).toMatchObject({
      id: created.id,
      status: "active",
      liveViewUrl,
      interactiveLiveViewUrl,
      streamWebView: true,
    });
    const lifetime = Date.parse(created.expiresAt ?? "") - Date.parse(entry?.createdAt ?? "");
    // Firecrawl may stamp the two on different clocks; the fake and the emulator stamp them from one instant.
    if (backend.exactErrors) expect(lifetime).toBe(120_000);
    else expect(Math.abs(lifetime - 120_000)).toBeLessThan(5_000);
  } finally {
    await deleteAll(backend, [created.id]);
  }
}

/** Execute answers Firecrawl's shape; delete answers once, then the session is 410 to execute and delete. */
async function executedThenDeleted(backend: ConformanceBackend) {
  const client = clientOf(backend);
  const { id } = await client.createSession({});
  const run = await client.execute(id as string, { code: SUITE_CODE.code, language: "node" });
  expect(run).toMatchObject({ success: true, result: SUITE_CODE.result, exitCode: 0, killed: false });
  if (backend.name !== "firecrawl") {
    const exact = { success: true, stdout: "", result: "42", stderr: "", exitCode: 0, killed: false, truncated: false };
    expect(run).toEqual(exact);
  }
  const deleted = await client.deleteSession(id as string);
  expect(deleted.success).toBe(true);
  expect(deleted.sessionDurationMs).toBeGreaterThanOrEqual(0);
  if (backend.name !== "firecrawl") expect(deleted.creditsBilled).toBe(0);
  expectError(backend, await call(backend, "POST", `/interact/${id}/execute`, { body: { code: "1" } }), 410, GONE);
  expectError(backend, await call(backend, "DELETE", `/interact/${id}`), 410, GONE);
}

/** The status filter: a deleted session lists as destroyed, never active; a live one the other way round. */
async function filteredByStatus(backend: ConformanceBackend) {
  const client = clientOf(backend);
  const [kept, ended] = [await client.createSession({}), await client.createSession({})];
  try {
    await client.deleteSession(ended.id as string);
    const ids = async (status: "active" | "destroyed") =>
      ((await client.listSessions({ status })).sessions ?? []).map((session) => session.id);
    expect(await ids("active")).toContain(kept.id);
    expect(await ids("active")).not.toContain(ended.id);
    expect(await ids("destroyed")).toContain(ended.id);
    expect(await ids("destroyed")).not.toContain(kept.id);
    const all = ((await client.listSessions()).sessions ?? []).filter((s) => [kept.id, ended.id].includes(s.id));
    expect(all.map((session) => session.status).sort()).toEqual(["active", "destroyed"]);
  } finally {
    await deleteAll(backend, [kept.id]);
  }
}

/** `GET /interact/{id}`: running while it lives, stopped with its duration once deleted, 404 for an unknown id. */
async function statusReported(backend: ConformanceBackend) {
  const client = clientOf(backend);
  const created = await client.createSession({});
  const { cdpUrl, liveViewUrl, interactiveLiveViewUrl } = created;
  const urls = { cdpUrl, liveViewUrl, interactiveLiveViewUrl };
  const running = await call(backend, "GET", `/interact/${created.id}`);
  expect(running).toMatchObject({ status: 200, body: { success: true, id: created.id, status: "running" } });
  if (backend.name !== "firecrawl")
    expect(running.body).toEqual({ success: true, id: created.id, status: "running", ...urls });
  await client.deleteSession(created.id as string);
  const stopped = await call(backend, "GET", `/interact/${created.id}`);
  expect(stopped).toMatchObject({ status: 200, body: { success: true, id: created.id, status: "stopped" } });
  expect(stopped.body.sessionDurationMs).toBeGreaterThanOrEqual(0);
  const missing = { code: "not_found", error: "Browser session not found." };
  expectError(backend, await call(backend, "GET", "/interact/no-such-session"), 404, missing);
}

/** Create, list, execute, delete; 410 after delete; 404 for an id nobody made; the status filter. */
export function lifecycleCases(backend: ConformanceBackend): void {
  describe("lifecycle", () => {
    it("creates a session with an id, live-view and CDP URLs and expiresAt = createdAt + ttl, and lists it active", () =>
      createdAndListed(backend));
    it("executes code with Firecrawl's answer shape, then deletes: 200 once, 410 session_destroyed after", () =>
      executedThenDeleted(backend));
    it("filters the list by status: a deleted session is destroyed, never active", () => filteredByStatus(backend));
    it("reports a session's status: running, then stopped with its duration; 404 for an unknown id", () =>
      statusReported(backend));
    it("answers 404 not_found for a session id nobody created", async () => {
      const missing = { code: "not_found", error: "Session not found" };
      const answer = await call(backend, "POST", "/interact/no-such-session/execute", { body: { code: "1" } });
      expectError(backend, answer, 404, missing);
      expectError(backend, await call(backend, "DELETE", "/interact/no-such-session"), 404, missing);
    });
  });
}

/** ttl and activityTtl: a session past either is destroyed, answers 410 with why, and lists as destroyed. */
export function expiryCases(backend: ConformanceBackend): void {
  const execute = (id: string | undefined) =>
    call(backend, "POST", `/interact/${id}/execute`, { body: { code: SUITE_CODE.code } });
  const expectEnded = async (id: string | undefined, reason: string) => {
    const ended = { code: "session_destroyed", error: "Session already destroyed", details: { reason } };
    expectError(backend, await execute(id), 410, ended);
    const { sessions = [] } = await clientOf(backend).listSessions({ status: "destroyed" });
    expect(sessions.map((session) => session.id)).toContain(id);
  };
  // On the emulator and Firecrawl the waits are real (about 31 s and 27 s), so the two cases overlap; the fake's
  // clock is one for both cases, so there they run one after the other.
  const group = backend.name === "fake" ? describe : describe.concurrent;
  group("expiry", () => {
    it("ends a session at its ttl (reason expired)", async () => {
      const { id } = await clientOf(backend).createSession({ ttl: 30, activityTtl: 3600 });
      await backend.elapse(25_000);
      expect((await execute(id)).status).toBe(200);
      await backend.elapse(5_500);
      await expectEnded(id, "expired");
    });

    it("ends a session idle for activityTtl (reason idle); an execute counts as activity", async () => {
      const { id } = await clientOf(backend).createSession({ ttl: 600, activityTtl: 10 });
      await backend.elapse(8_000);
      expect((await execute(id)).status).toBe(200);
      await backend.elapse(8_000);
      expect((await execute(id)).status).toBe(200);
      await backend.elapse(10_500);
      await expectEnded(id, "idle");
    });
  });
}
