import { operations } from "../../generated/constraints.js";
import type { CanonicalOperationId, InteractOperationId, ScrapeOperationId } from "../core/operations.js";
import type {
  CreateSessionRequest,
  ExecuteRequest,
  ScrapeInteractRequest,
  ScrapeRequest,
  SessionStatus,
  SuccessBody,
} from "../core/types.js";
import { browserSessionNotFound, jobNotFound, sessionDestroyed, sessionNotFound } from "./answers.js";
import type { RunHandlerTable } from "./runs.js";
import type { FakeScrapeJob, ScrapeBook } from "./scrape.js";
import type { FakeSessionInfo, SessionStore } from "./sessions.js";

/** What the operation handlers work on: the fake's sessions, scrapes and run handlers. */
export interface FakeState {
  readonly sessions: SessionStore;
  readonly scrapes: ScrapeBook;
  readonly runs: RunHandlerTable;
}

/** One matched request as a handler sees it: parameters, query and body already checked against the spec. */
export interface OperationInput {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The JSON body (`{}` when empty) for operations that take one. */
  readonly body: unknown;
}

/** Every operation the fake answers, by canonical id (the `/browser` aliases share theirs). */
export type FakeOperationId = CanonicalOperationId<InteractOperationId | ScrapeOperationId>;

type Handlers = {
  readonly [Id in FakeOperationId]: (state: FakeState, input: OperationInput) => Promise<SuccessBody<Id>>;
};

const EXECUTE = operations.executeBrowserCode.body.properties;

/** The session of a path's `{sessionId}`: 404 unknown, 410 already ended. */
function findSession(state: FakeState, sessionId: string | undefined): FakeSessionInfo {
  const session = state.sessions.get(sessionId as string);
  if (!session) throw sessionNotFound();
  if (session.status === "destroyed") throw sessionDestroyed(session.endReason);
  return session;
}

/** The scrape of a path's `{jobId}`: 404 when the fake never answered it. */
function findJob(state: FakeState, jobId: string | undefined): FakeScrapeJob {
  const job = state.scrapes.job(jobId as string);
  if (!job) throw jobNotFound();
  return job;
}

/** The browser of a scrape: opened by its first call (counted against `maxSessions`), 410 once it ended. */
function jobSession(state: FakeState, job: FakeScrapeJob): FakeSessionInfo {
  const open = job.sessionId === undefined ? undefined : state.sessions.get(job.sessionId);
  if (open?.status === "destroyed") throw sessionDestroyed(open.endReason, "Browser session has been destroyed.");
  if (open) return open;
  const session = state.sessions.create(job.profile ? { profile: job.profile } : {}, job.id);
  job.sessionId = session.id;
  return session;
}

const urlsOf = ({ cdpUrl, liveViewUrl, interactiveLiveViewUrl }: FakeSessionInfo) => ({
  cdpUrl,
  liveViewUrl,
  interactiveLiveViewUrl,
});

/** Runs code in a session through the test's execute handlers; the call counts as activity at its start and end. */
async function runCode(state: FakeState, session: FakeSessionInfo, body: ExecuteRequest, scrapeId?: string) {
  state.sessions.touch(session.id);
  try {
    return await state.runs.runExecute({
      sessionId: session.id,
      scrapeId,
      code: body.code,
      language: body.language ?? EXECUTE.language.default,
      timeout: body.timeout ?? EXECUTE.timeout.default,
    });
  } finally {
    state.sessions.touch(session.id);
  }
}

/** The fake's answer to each operation: the emulator's behaviour, with runs answered by the test's handlers. */
export const HANDLERS: Handlers = {
  async listBrowserSessions({ sessions }, { query }) {
    const status = (query.get("status") ?? undefined) as SessionStatus | undefined;
    return { success: true, sessions: sessions.list(status).map((session) => sessions.listEntry(session)) };
  },
  async createBrowserSession({ sessions }, { body }) {
    const session = sessions.create(body as CreateSessionRequest);
    const expiresAt = new Date(session.expiresAt).toISOString();
    return { success: true, id: session.id, ...urlsOf(session), expiresAt };
  },
  async executeBrowserCode(state, { params, body }) {
    return runCode(state, findSession(state, params.sessionId), body as ExecuteRequest);
  },
  async getBrowserSession({ sessions }, { params }) {
    // The emulator's status route: its own 404 text; running, or stopped with the duration and no credits.
    const session = sessions.get(params.sessionId as string);
    if (!session) throw browserSessionNotFound();
    if (session.status === "active") return { success: true, id: session.id, status: "running", ...urlsOf(session) };
    const sessionDurationMs = (session.endedAt as number) - session.createdAt;
    return {
      success: true,
      id: session.id,
      status: "stopped",
      ...urlsOf(session),
      sessionDurationMs,
      creditsBilled: 0,
    };
  },
  async deleteBrowserSession(state, { params }) {
    const session = findSession(state, params.sessionId);
    state.sessions.end(session, "deleted");
    const ended = state.sessions.get(session.id) as FakeSessionInfo;
    const sessionDurationMs = (ended.endedAt as number) - ended.createdAt;
    return { success: true, sessionDurationMs, creditsBilled: 0 };
  },
  async interactWithScrapeBrowserSession(state, { params, body }) {
    const job = findJob(state, params.jobId);
    const session = jobSession(state, job);
    const { prompt, ...code } = body as ScrapeInteractRequest;
    if (prompt === undefined) {
      const run = await runCode(state, session, code as ExecuteRequest, job.id);
      return { ...run, ...urlsOf(session), output: null };
    }
    state.sessions.touch(session.id);
    const timeout = code.timeout ?? EXECUTE.timeout.default;
    const run = await state.runs.runPrompt({ sessionId: session.id, scrapeId: job.id, prompt, timeout });
    state.sessions.touch(session.id);
    return { success: true, ...urlsOf(session), ...run };
  },
  async stopInteractiveScrapeBrowserSession(state, { params }) {
    const job = findJob(state, params.jobId);
    const session = job.sessionId === undefined ? undefined : state.sessions.get(job.sessionId);
    if (!session || session.status === "destroyed") throw browserSessionNotFound();
    state.sessions.end(session, "deleted");
    return { success: true };
  },
  async scrapeAndExtractFromUrl({ scrapes }, { body }) {
    return scrapes.scrape(body as ScrapeRequest);
  },
  async getScrapeStatus(state, { params }) {
    return findJob(state, params.jobId).result;
  },
};
