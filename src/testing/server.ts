import { operations, scrapeOperations } from "../../generated/constraints.js";
import { type ErrorAnswer, errorAnswer } from "../core/error-body.js";
import { readJsonBody } from "../core/json-body.js";
import { canonicalOperationId, matchOperation } from "../core/operations.js";
import { validateRequest, validationError } from "../core/validate.js";
import { badRequest, FakeAnswerError, internalError, noRoute, notJson, unauthorized, wrongMethod } from "./answers.js";
import type { FaultQueue } from "./faults.js";
import { type FakeOperationId, type FakeState, HANDLERS } from "./handlers.js";

/** Every operation the fake routes: the interact operations and the scrape. */
const TABLE = { ...operations, ...scrapeOperations };

/** A request the fake received, with what it answered; `fake.requests` lists them in order. */
export interface FakeRequest {
  readonly method: string;
  /** The full URL. */
  readonly url: string;
  /** The path below the fake's `baseUrl`, e.g. `/interact/abc/execute`. */
  readonly path: string;
  /** The operation it matched, `undefined` for no route. */
  readonly operationId: string | undefined;
  /** Path parameters by name. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; `undefined` when there was none (or it was not JSON). */
  readonly body: unknown;
  /** The answer's status; 0 for a dropped call (and while the answer is pending). */
  readonly status: number;
  /** The fake's clock when the request arrived. */
  readonly at: number;
}

/** A {@link FakeRequest} while the fake routes and answers it. */
type FakeRequestFields = { -readonly [Field in keyof FakeRequest]: FakeRequest[Field] };

/** What the pipeline needs besides the state: where it is mounted, the key, faults, and the clock. */
export interface FakeServerContext {
  readonly state: FakeState;
  readonly faults: FaultQueue;
  /** Path of the API root below the origin, e.g. `/v2`, without a trailing slash. */
  readonly basePath: string;
  /** When set, `Authorization: Bearer <apiKey>` is required. */
  readonly apiKey: string | undefined;
  readonly now: () => number;
  readonly record: (request: FakeRequest) => void;
}

/** Thrown for a dropped call: the fetch rejects as a browser's does when the connection is cut. */
class DroppedCall extends TypeError {
  constructor() {
    super("Failed to fetch");
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when `pathname` is the API root or below it. */
export const isBelow = (pathname: string, basePath: string) =>
  pathname === basePath || pathname.startsWith(`${basePath}/`) || basePath === "";

const isJson = (type: string | null) => type !== null && /^application\/json\s*(;|$)/i.test(type.trim());

const authorized = (request: Request, apiKey: string | undefined) =>
  apiKey === undefined || /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] === apiKey;

const jsonResponse = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });

/** Parses a body the way the emulator does: 413 past 10 MB, 400 `BAD_REQUEST_INVALID_JSON` for one that is not JSON. */
async function parseBody(text: string, request: Request): Promise<unknown> {
  const read = await readJsonBody({ headers: request.headers, body: new Response(text).body });
  if (read.ok) return read.value ?? {};
  const { status, body, headers } = read.error;
  const code = status === 400 ? "BAD_REQUEST_INVALID_JSON" : body.code;
  throw new FakeAnswerError(errorAnswer(status, code, body.error, body.details, headers));
}

/** Throws the 400 of a request part that breaks the spec. */
const assertValid = (validate: () => void) => {
  const error = validationError(validate);
  if (error) throw badRequest(error);
};

/** Plays a fault injected for this operation: waits, drops the call (throws), or answers its error. */
async function playFault(context: FakeServerContext, operationId: string): Promise<ErrorAnswer | undefined> {
  const fault = context.faults.take(operationId, canonicalOperationId(operationId));
  if (!fault) return undefined;
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.kind === "drop") throw new DroppedCall();
  return fault.kind === "fail" ? fault.answer : undefined;
}

/** Route, faults, auth, validation, then the operation, in the emulator's order; failures become error answers. */
async function route(context: FakeServerContext, request: Request, entry: FakeRequestFields, text: string) {
  const { method } = request;
  const url = new URL(request.url);
  if (text !== "" && !isJson(request.headers.get("content-type"))) throw notJson();
  // Firecrawl's router takes a trailing slash as the same path.
  const path = entry.path.length > 1 ? entry.path.replace(/\/$/, "") : entry.path;
  const match = isBelow(url.pathname, context.basePath) ? matchOperation(method, path, undefined, TABLE) : undefined;
  if (!match || match.kind === "none") throw noRoute(method, url.pathname);
  if (match.kind === "wrong-method") throw wrongMethod(method, match.allow);
  const { operation, params } = match;
  entry.operationId = operation.operationId;
  entry.params = params;
  const fault = await playFault(context, operation.operationId);
  if (fault) throw new FakeAnswerError(fault);
  if (!authorized(request, context.apiKey)) throw unauthorized();
  assertValid(() => validateRequest(operation, { params, query: url.searchParams }));
  const body = operation.body === null ? undefined : await parseBody(text, request);
  assertValid(() => validateRequest(operation, { body }));
  context.state.sessions.sweep();
  const handler = HANDLERS[canonicalOperationId(operation.operationId) as FakeOperationId] as (
    ...args: Parameters<(typeof HANDLERS)[FakeOperationId]>
  ) => Promise<unknown>;
  return handler(context.state, { params, query: url.searchParams, body });
}

/** The fake's fetch: answers one request as the emulator would, and records it. */
export async function answerRequest(context: FakeServerContext, request: Request): Promise<Response> {
  const text = request.body === null ? "" : await request.text();
  const pathname = new URL(request.url).pathname;
  const entry: FakeRequestFields = {
    method: request.method,
    url: request.url,
    path: isBelow(pathname, context.basePath) ? pathname.slice(context.basePath.length) || "/" : pathname,
    operationId: undefined,
    params: {},
    headers: Object.fromEntries(request.headers),
    body: isJson(request.headers.get("content-type")) ? safeJson(text) : undefined,
    status: 0,
    at: context.now(),
  };
  context.record(entry);
  try {
    const body = await route(context, request, entry, text);
    entry.status = 200;
    return jsonResponse(200, body);
  } catch (error) {
    if (error instanceof DroppedCall) throw error;
    const { answer } = error instanceof FakeAnswerError ? error : internalError(error);
    entry.status = answer.status;
    return jsonResponse(answer.status, answer.body, answer.headers);
  }
}

const safeJson = (text: string): unknown => {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};
