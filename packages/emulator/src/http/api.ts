import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type CanonicalOperationId,
  type CreateSessionRequest,
  canonicalOperationId,
  type ExecuteRequest,
  type InteractOperationId,
  matchOperation,
  operations,
  type ScrapeInteractRequest,
  type SuccessBody,
  validateRequest,
} from "firecrawl-interact/core";
import {
  browserFailed,
  browserSessionNotFound,
  EmulatorHttpError,
  firstLine,
  forbidden,
  invalidJobId,
  jobNotFound,
  sessionDestroyed,
} from "../errors.js";
import { agentNotConfigured, runAgent } from "../execute/prompt-agent.js";
import { jobSession, stopJobSession } from "../scrape/interact.js";
import type { ScrapeJob } from "../scrape/jobs.js";
import type { SessionRegistry } from "../sessions/registry.js";
import type { Session } from "../sessions/session.js";
import type { ApiContext } from "./context.js";
import { readBody, sendJson, validateOr400 } from "./json.js";
import { sessionStatus } from "./session-routes.js";

export type { ApiContext };

/** One matched request, as a handler sees it: parameters and body already checked against the spec. */
interface ApiRequest {
  readonly request: IncomingMessage;
  readonly url: URL;
  /** Path parameters (`sessionId`, `jobId`). */
  readonly params: Readonly<Record<string, string>>;
  /** The JSON body (`{}` when empty) for operations that take one. */
  readonly body: unknown;
  /** The team of the caller's key, which owns what it creates. */
  readonly team: string;
}

/** One handler per canonical operation id; each answer must be the spec's 200 body of its operation. */
type ApiHandlers = {
  readonly [Id in CanonicalOperationId]: (context: ApiContext, input: ApiRequest) => Promise<SuccessBody<Id>>;
};

const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The origin a client reached us on (so returned URLs work from where it stands), or the fallback. */
export function requestOrigin(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host && HOST_PATTERN.test(host) ? `http://${host}` : fallback;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The session of a path's (already validated) `{sessionId}`: 404 unknown, 403 another team's, 410 destroyed. */
function findSession(context: ApiContext, { params, team }: Pick<ApiRequest, "params" | "team">): Session {
  const session = context.registry.get(params.sessionId as string);
  if (!session) throw new EmulatorHttpError(404, "not_found", "Session not found");
  if (session.team !== team) throw forbidden();
  if (session.status === "destroyed") throw sessionDestroyed(session.endReason);
  return session;
}

/** The scrape job of a path's (already validated) `{jobId}`: 404 when unknown or forgotten, 403 another team's. */
export function findScrapeJob(context: ApiContext, jobId: string, team: string): ScrapeJob {
  const job = context.scrapeJobs.get(jobId);
  if (!job) throw jobNotFound();
  if (job.team !== team) throw forbidden();
  return job;
}

// Firecrawl's test of a job id: any UUID, checked before the job is looked up, with its own message.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws Firecrawl's 400 when a path's `{jobId}` is not a UUID. */
export function assertJobId(jobId: string | undefined): void {
  if (jobId !== undefined && !UUID.test(jobId)) throw invalidJobId();
}

/** Loads the start URL in a new session before it is handed out; a browser that can't leaves no session behind. */
async function openStartUrl(context: ApiContext, session: Session): Promise<void> {
  try {
    await session.navigate(context.startUrl);
  } catch (error) {
    await context.registry.end(session, "deleted");
    throw browserFailed(`Could not open the start URL in the new session: ${firstLine(error)}`);
  }
}

const DEFAULT_INTERACT_TIMEOUT_S: number = operations.interactWithScrapeBrowserSession.body.properties.timeout.default;

const HANDLERS = {
  async listBrowserSessions(context, { url, team }) {
    const status = url.searchParams.get("status") ?? undefined;
    const sessions = context.registry.list(status as Parameters<SessionRegistry["list"]>[0], team);
    return { success: true, sessions: sessions.map((session) => session.toListEntry()) };
  },
  async createBrowserSession(context, { request, body, team }) {
    const origin = requestOrigin(request, context.fallbackOrigin);
    const session = await context.registry.create(body as CreateSessionRequest, origin, team);
    if (context.startUrl !== "about:blank") await openStartUrl(context, session);
    return {
      success: true,
      id: session.id,
      cdpUrl: session.cdpUrl,
      liveViewUrl: session.liveViewUrl,
      interactiveLiveViewUrl: session.interactiveLiveViewUrl,
      expiresAt: session.expiresAt.toISOString(),
    };
  },
  async executeBrowserCode(context, input) {
    // No language is the spec's default (node); the official SDK sends "bash" when its caller gives none.
    const { code, language, timeout } = input.body as ExecuteRequest;
    return findSession(context, input).execute(code, language, timeout);
  },
  async getBrowserSession(context, { params, team }) {
    // Firecrawl words this route's 404 its own way; another team's session is its 403.
    const session = context.registry.get(params.sessionId as string);
    if (!session) throw browserSessionNotFound();
    if (session.team !== team) throw forbidden();
    return sessionStatus(session);
  },
  async deleteBrowserSession(context, input) {
    const session = findSession(context, input);
    await context.registry.end(session, "deleted");
    const endedAt = session.endedAt ?? new Date();
    return {
      success: true,
      sessionDurationMs: endedAt.getTime() - session.createdAt.getTime(),
      // The emulator is free; the field is kept so clients read the same shape as from Firecrawl.
      creditsBilled: 0,
    };
  },
  async interactWithScrapeBrowserSession(context, input): Promise<SuccessBody<"interactWithScrapeBrowserSession">> {
    const job = findScrapeJob(context, input.params.jobId as string, input.team);
    const { prompt, ...codeBody } = input.body as ScrapeInteractRequest;
    // Before the session opens: a prompt the emulator cannot answer launches nothing.
    if (prompt !== undefined && !context.agent) throw agentNotConfigured();
    const origin = requestOrigin(input.request, context.fallbackOrigin);
    const session = await jobSession(context.registry, context.scrapeJobs, job, origin);
    const urls = {
      cdpUrl: session.cdpUrl,
      liveViewUrl: session.liveViewUrl,
      interactiveLiveViewUrl: session.interactiveLiveViewUrl,
    };
    if (prompt !== undefined && context.agent) {
      const timeout = codeBody.timeout ?? DEFAULT_INTERACT_TIMEOUT_S;
      const { success, ...run } = await runAgent(context.agent, session, prompt, timeout);
      return { success, ...urls, ...run };
    }
    // Code runs exactly as POST /interact/{id}/execute runs it in the session.
    const params = { sessionId: session.id };
    const { success, ...run } = await HANDLERS.executeBrowserCode(context, { ...input, params, body: codeBody });
    return { success, ...urls, output: null, ...run };
  },
  async stopInteractiveScrapeBrowserSession(context, { params, team }) {
    await stopJobSession(context.registry, findScrapeJob(context, params.jobId as string, team));
    return { success: true };
  },
} satisfies ApiHandlers;

/** Plays a fault injected for this operation, if any: waits, drops the connection, or throws its error answer. */
async function playFault(context: ApiContext, operationId: InteractOperationId, request: IncomingMessage) {
  const fault = context.faults.take(operationId, canonicalOperationId(operationId));
  if (!fault) return false;
  if (fault.delayMs > 0) await delay(fault.delayMs);
  if (fault.kind === "drop") {
    request.socket.destroy();
    return true;
  }
  if (fault.kind === "fail") throw fault.error;
  return false;
}

/**
 * Answers one request below `/v2` (path given without the prefix): route, faults, auth, validation, then the
 * operation. Failures are thrown as {@link EmulatorHttpError}s for the HTTP routes to write.
 */
export async function handleApi(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  url: URL,
): Promise<void> {
  const method = request.method ?? "GET";
  // Firecrawl's router takes a trailing slash as the same path.
  const match = matchOperation(method, path.length > 1 ? path.replace(/\/$/, "") : path);
  if (match.kind === "none") throw new EmulatorHttpError(404, "not_found", `No route for ${method} /v2${path}`);
  if (match.kind === "wrong-method") {
    throw new EmulatorHttpError(405, "method_not_allowed", `Method ${method} not allowed here`, { allow: match.allow });
  }
  const { operation, params } = match;
  if (await playFault(context, operation.operationId, request)) return;
  const team = context.keys.teamOf(request);
  assertJobId(params.jobId);
  validateOr400(() => validateRequest(operation, { params, query: url.searchParams }));
  const body = operation.body === null ? undefined : ((await readBody(request)) ?? {});
  validateOr400(() => validateRequest(operation, { body }));
  const handler: ApiHandlers[CanonicalOperationId] = HANDLERS[canonicalOperationId(operation.operationId)];
  sendJson(response, 200, await handler(context, { request, url, params, body, team }));
}
