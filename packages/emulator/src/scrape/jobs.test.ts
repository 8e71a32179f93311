import { describe, expect, test } from "vitest";
import type { Session } from "../sessions/session.js";
import { type ScrapeJob, ScrapeJobs } from "./jobs.js";

const replay = {
  url: "http://127.0.0.1/x",
  waitForMs: 0,
  actions: [],
  timeoutMs: 60_000,
  state: { cookies: [], localStorage: undefined },
};
const job = (id: string) => ({ id, team: "default", replay, data: undefined, profile: undefined });
const liveSession = { status: "active" } as Session;

describe("ScrapeJobs: bounded and forgotten after a while", () => {
  test("past max the oldest idle job is dropped; jobs with a live session are kept first", () => {
    const jobs = new ScrapeJobs({ max: 2, idleMs: 60_000 });
    const first = jobs.add(job("a"));
    first.session = liveSession;
    jobs.add(job("b"));
    jobs.add(job("c"));
    expect([jobs.get("a")?.id, jobs.get("b"), jobs.get("c")?.id]).toEqual(["a", undefined, "c"]);
    expect(jobs.size).toBe(2);
  });

  test("when every job is busy the oldest goes anyway: the count stays bounded", () => {
    const jobs = new ScrapeJobs({ max: 1, idleMs: 60_000 });
    const a = jobs.add(job("a"));
    a.session = liveSession;
    // The new job is kept, the busy older one dropped.
    const b = jobs.add(job("b"));
    expect(jobs.size).toBe(1);
    expect(jobs.get("b")).toBe(b);
    b.opening = new Promise<Session>(() => undefined);
    const c = jobs.add(job("c"));
    expect([jobs.size, jobs.get("c")]).toEqual([1, c]);
  });

  test("an idle job is forgotten idleMs after its last use; use, or a live session, keeps it", () => {
    let now = 1_000;
    const jobs = new ScrapeJobs({ max: 10, idleMs: 100 }, () => now);
    jobs.add(job("used"));
    jobs.add(job("idle"));
    const live: ScrapeJob = jobs.add(job("live"));
    live.session = liveSession;
    now += 80;
    expect(jobs.get("used")?.id).toBe("used");
    now += 80;
    expect(jobs.get("idle")).toBeUndefined();
    expect(jobs.get("used")?.id).toBe("used");
    now += 1_000;
    expect(jobs.get("live")?.id).toBe("live");
    expect(jobs.get("used")).toBeUndefined();
    // Once its session ended, a job ages like any other, from its last use.
    live.session = { status: "destroyed" } as Session;
    jobs.touch(live);
    now += 101;
    expect(jobs.get("live")).toBeUndefined();
  });
});
