import { createInteractClient, type InteractClient } from "../../client/index.js";

/** Base URL the fake answers on (absolute: jsdom would otherwise resolve against its own location). */
export const FAKE_BASE_URL = "http://127.0.0.1:1/v2";

/** One request the fake received. */
export interface FakeCall {
  method: string;
  /** Path below the base URL, with the query, e.g. `/interact?status=active`. */
  path: string;
  body: unknown;
  keepalive: boolean;
}

/** A canned answer: JSON with a status and headers, or a thrown network failure. */
export type FakeReply =
  | { status?: number; json?: unknown; headers?: Record<string, string> }
  | { networkError: string };

/** Overrides of the fake's default behaviour. */
export interface FakeApiOptions {
  /** Answers `POST /interact`; return `undefined` to create a session normally (after awaiting, if async). */
  onCreate?: (call: FakeCall, index: number) => FakeReply | undefined | Promise<FakeReply | undefined>;
  /** Answers `DELETE /interact/{id}`; return `undefined` to delete normally. */
  onDelete?: (call: FakeCall, index: number) => FakeReply | undefined | Promise<FakeReply | undefined>;
  /** Leave `expiresAt` out of create answers (the hook must then estimate from `ttl`). */
  omitExpiresAt?: boolean;
  /** Live-view origin put in the create answer. Default `http://127.0.0.1:1`. */
  liveViewOrigin?: string;
}

interface FakeSession {
  id: string;
  status: "active" | "destroyed";
  createdAt: string;
}

/** Turns a fake's reply into the Response fetch resolves with (or the TypeError it rejects with). */
export const reply = (answer: FakeReply): Response => {
  if ("networkError" in answer) throw new TypeError(answer.networkError);
  const headers = new Headers(answer.headers);
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(answer.json ?? {}), { status: answer.status ?? 200, headers });
};

/** Reads a request the way the fakes record it: method, path below `/v2` with its query, JSON body, keepalive. */
export async function recordCall(
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<{ call: FakeCall; url: URL; request: Request }> {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  const text = await request.text();
  const call: FakeCall = {
    method: request.method,
    path: url.pathname.replace(/^\/v2/, "") + url.search,
    body: text ? JSON.parse(text) : undefined,
    keepalive: request.keepalive,
  };
  return { call, url, request };
}

/** The 200 body of a create: the session's URLs, and its `expiresAt` from the body's `ttl` unless `omitExpiresAt`. */
function createAnswer(sessionId: string, liveOrigin: string, body: unknown, omitExpiresAt?: boolean) {
  const ttl = (body as { ttl?: number } | undefined)?.ttl ?? 300;
  const liveViewUrl = `${liveOrigin}/live/${sessionId}?token=t-${sessionId}`;
  return {
    success: true,
    id: sessionId,
    cdpUrl: `ws://127.0.0.1:1/cdp/${sessionId}`,
    liveViewUrl,
    interactiveLiveViewUrl: `${liveViewUrl}&interactive=true`,
    ...(omitExpiresAt ? {} : { expiresAt: new Date(Date.now() + ttl * 1000).toISOString() }),
  };
}

/**
 * An in-memory interact API behind a counting fetch: enough server (create, list, execute, delete with 404/410)
 * to count requests exactly and to produce faults (error statuses, network failures, slow answers).
 */
export function fakeInteractApi(options: FakeApiOptions = {}) {
  const calls: FakeCall[] = [];
  const sessions = new Map<string, FakeSession>();
  const liveOrigin = options.liveViewOrigin ?? "http://127.0.0.1:1";
  let creates = 0;
  let deletes = 0;

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const { call, url, request } = await recordCall(input, init);
    calls.push(call);
    const match = /^\/v2\/interact(?:\/([^/]+))?(\/execute)?$/.exec(url.pathname);
    if (!match) return reply({ status: 404, json: { success: false, error: "Not found" } });
    const [, id, execute] = match;
    if (request.method === "POST" && id === undefined) {
      const custom = await options.onCreate?.(call, creates++);
      if (custom) return reply(custom);
      const sessionId = `sess_${sessions.size + 1}`;
      sessions.set(sessionId, { id: sessionId, status: "active", createdAt: new Date().toISOString() });
      return reply({ json: createAnswer(sessionId, liveOrigin, call.body, options.omitExpiresAt) });
    }
    if (request.method === "GET" && id === undefined) {
      const status = url.searchParams.get("status");
      const listed = [...sessions.values()].filter((session) => !status || session.status === status);
      return reply({ json: { success: true, sessions: listed } });
    }
    const session = id === undefined ? undefined : sessions.get(id);
    if (!session) return reply({ status: 404, json: { success: false, error: "Session not found" } });
    if (session.status === "destroyed") return reply({ status: 410, json: { success: false, error: "Gone" } });
    if (request.method === "POST" && execute) {
      return reply({ json: { success: true, stdout: "ok\n", result: "ok\n", stderr: "", exitCode: 0, killed: false } });
    }
    if (request.method === "DELETE" && !execute) {
      const custom = await options.onDelete?.(call, deletes++);
      if (custom) return reply(custom);
      session.status = "destroyed";
      return reply({ json: { success: true, sessionDurationMs: 1000, creditsBilled: 1 } });
    }
    return reply({ status: 405, json: { success: false, error: "Method not allowed" } });
  };

  const client: InteractClient = createInteractClient({ fetch, baseUrl: FAKE_BASE_URL, apiKey: "fc-test" });
  return {
    fetch,
    client,
    calls,
    /** Requests with this method (and path prefix, when given). */
    count: (method: string, pathPrefix = "/interact") =>
      calls.filter((call) => call.method === method && call.path.startsWith(pathPrefix)).length,
    /** Ids of sessions the fake still considers active. */
    activeIds: () => [...sessions.values()].filter((session) => session.status === "active").map(({ id }) => id),
  };
}

/** A promise with its resolve function exposed, to hold an answer until the test releases it. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
