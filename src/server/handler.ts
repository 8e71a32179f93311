import type { ConstraintSchema } from "../../generated/constraints.js";
import { DEFAULT_BASE_PATH, DEFAULT_BASE_URL } from "../core/defaults.js";
import { MAX_BODY_BYTES, readJsonBody } from "../core/json-body.js";
import { canonicalOperationId, type InteractOperationId, type ScrapeOperationId } from "../core/operations.js";
import type { ScrapeRequest } from "../core/types.js";
import { validateRequest } from "../core/validate.js";
import { answerForCaller, callerAccess, ownedParams, upstreamPath } from "./access.js";
import {
  type InteractProxyLimits,
  limitCreateSession,
  operationForbidden,
  type ResolvedLimits,
  resolveLimits,
} from "./limits.js";
import type { InteractCaller, OwnerStore } from "./owners.js";
import { errorResponse, noOperationResponse, toResponse, validationFailure } from "./respond.js";
import { matchRoute, normalizeBasePath, type ProxiedOperation } from "./routes.js";
import { limitScrape } from "./scrape-limits.js";
import { forwardToUpstream } from "./upstream.js";

/** What `authorize` learns about the request besides the request itself. */
export interface AuthorizeContext {
  /** The spec's operation id, e.g. `createBrowserSession`, `deleteBrowserSessionAlias` or `scrapeAndExtractFromUrl`. */
  readonly operationId: InteractOperationId | ScrapeOperationId;
  /** The session the request is about, for execute, status and delete. */
  readonly sessionId: string | undefined;
  /** The scrape job the request is about, for the scrape-interact operations and a scrape's status. */
  readonly jobId: string | undefined;
}

/** Options of {@link createInteractHandler}. */
export interface InteractHandlerOptions {
  /**
   * The secret Firecrawl key, only ever sent upstream; a function is called per request. Default: the
   * `FIRECRAWL_API_KEY` environment variable, read per request, so a build without the secret still loads the route.
   */
  apiKey?: string | (() => string | undefined);
  /** API root to forward to: Firecrawl's `/v2` (default) or an emulator's `url`. */
  baseUrl?: string;
  /** Path the handler is mounted at; requests mirror the API below it (default `/api/firecrawl`). */
  basePath?: string;
  /** What browsers may ask for: ttl caps, profiles, execute, scrapes and their formats, URLs and timeout. */
  limits?: InteractProxyLimits;
  /**
   * Names the caller (your session cookie check): `{ userId }` lets the request proceed as that user, who then sees
   * and touches only the sessions it created; `false` or `null` → 401. Required unless `passThrough` is set.
   */
  authorize?: (request: Request, context: AuthorizeContext) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Lets every caller `authorize` admits (`true`) list, drive and delete every session of the key, as one user.
   * Only for single-user tools (a local dev server); a multi-user app names its users instead. Default false.
   */
  passThrough?: boolean;
  /**
   * Signs the session ids handed to each user, so a user can't use another's; any instance with the same secret
   * checks them, with no shared memory. Default: the API key (rotating it retires the handles of running sessions).
   */
  secret?: string | (() => string | undefined);
  /** Shared record of who owns what, needed to list a user's sessions and to let a user interact with a scrape. */
  store?: OwnerStore;
  /** The fetch used to call upstream (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Largest request body accepted, in bytes (default 10 MB, Firecrawl's own limit); larger → 413. */
  maxBodyBytes?: number;
}

/** What `authorize` answers: the caller, or `false`/`null` to refuse; `true` admits anyone, with `passThrough` only. */
export type AuthorizeResult = InteractCaller | boolean | null;

/** A Fetch-API request handler: drops into Next.js route handlers, Hono, Bun, Deno and Workers. */
export type InteractHandler = (request: Request) => Promise<Response>;

/** Keeps only the properties the spec declares, so a page can't smuggle options the proxy doesn't know about. */
function pickDeclared(schema: ConstraintSchema, value: unknown): unknown {
  if (!schema.properties || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(schema.properties)) {
    if (record[name] !== undefined) picked[name] = pickDeclared(child, record[name]);
  }
  return picked;
}

/** Accepts only the operation's declared query parameters, each at most once; anything else is not a route. */
function declaredQuery(operation: ProxiedOperation, search: URLSearchParams): URLSearchParams | null {
  const allowed: string[] = operation.parameters.flatMap((parameter) =>
    parameter.in === "query" ? [parameter.name] : [],
  );
  const names = [...search.keys()];
  if (names.some((name) => !allowed.includes(name)) || new Set(names).size !== names.length) return null;
  return new URLSearchParams([...search.entries()]);
}

/** The handler's options after checking, with every default filled in. */
interface HandlerConfig {
  readonly basePath: string;
  readonly baseUrl: string;
  readonly limits: ResolvedLimits;
  readonly maxBodyBytes: number;
  readonly apiKey: () => string | undefined;
  readonly authorize: NonNullable<InteractHandlerOptions["authorize"]>;
  readonly passThrough: boolean;
  /** Reads the signing secret; undefined: the API key is the secret. */
  readonly secret: (() => string | undefined) | undefined;
  readonly store: OwnerStore | undefined;
  readonly fetch: typeof globalThis.fetch;
}

/** A function that reads an option given as a value or as a function of nothing. */
const reader = <T>(value: T | (() => T)): (() => T) => (typeof value === "function" ? (value as () => T) : () => value);

/** Checks the options once, when the handler is created, so a misconfiguration throws at start-up, not per request. */
function resolveConfig(options: InteractHandlerOptions): HandlerConfig {
  const basePath = normalizeBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const baseUrl = new URL(options.baseUrl ?? DEFAULT_BASE_URL).href.replace(/\/+$/, "");
  const limits = resolveLimits(options.limits);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError("firecrawl-interact: maxBodyBytes must be a positive integer");
  }
  const { apiKey = () => globalThis.process?.env?.FIRECRAWL_API_KEY, passThrough = false, authorize } = options;
  if (typeof passThrough !== "boolean") throw new TypeError("firecrawl-interact: passThrough must be a boolean");
  if (!authorize && !passThrough) {
    throw new TypeError(
      "firecrawl-interact: name each caller with authorize (return { userId }) so users can't reach each other's " +
        "sessions, or set passThrough: true for a single-user tool",
    );
  }
  const readKey = reader(apiKey);
  return {
    basePath,
    baseUrl,
    limits,
    maxBodyBytes,
    apiKey: readKey,
    authorize: authorize ?? (() => true),
    passThrough,
    secret: options.secret === undefined ? undefined : reader(options.secret),
    store: options.store,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}

/** The body to forward, or the answer to give instead. */
type ForwardedBody =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly response: Response };

/** Reads the JSON body, validates it, keeps only its declared properties and, for create and scrape, applies the limits. */
async function forwardedBody(
  request: Request,
  operation: ProxiedOperation,
  config: HandlerConfig,
): Promise<ForwardedBody> {
  if (operation.body === null) return { ok: true, body: undefined };
  const read = await readJsonBody(request, { maxBytes: config.maxBodyBytes, requireJson: true });
  if (!read.ok) return { ok: false, response: toResponse(read.error) };
  const operationId = canonicalOperationId(operation.operationId);
  const isCreate = operationId === "createBrowserSession";
  // Create is the one operation whose body may be left out (the client sends `{}`).
  const value = read.value === undefined && isCreate ? {} : read.value;
  const invalid = validationFailure(() => validateRequest(operation, { body: value }));
  if (invalid) return { ok: false, response: invalid };
  const body = pickDeclared(operation.body, value);
  if (operationId === "scrapeAndExtractFromUrl") return limitScrape(body as ScrapeRequest, config.limits);
  if (!isCreate) return { ok: true, body };
  return limitCreateSession(body as Parameters<typeof limitCreateSession>[0], config.limits);
}

/** Answers one request: route, query, the caller, limits and key, ownership, body, then the upstream call. */
async function handle(request: Request, config: HandlerConfig): Promise<Response> {
  const url = new URL(request.url);
  const match = matchRoute(url.pathname, config.basePath, request.method);
  const query = match.kind === "operation" ? declaredQuery(match.operation, url.searchParams) : null;
  if (match.kind !== "operation" || query === null) return noOperationResponse(match, request.method);
  const { operation, params } = match;
  const operationId = canonicalOperationId(operation.operationId);
  const badQuery = validationFailure(() => validateRequest(operation, { query }));
  if (badQuery) return badQuery;
  const context = { operationId: operation.operationId, sessionId: params.sessionId, jobId: params.jobId };
  const decision = await config.authorize(request, context);
  const key = config.apiKey()?.trim();
  const secret = config.passThrough ? "" : config.secret?.()?.trim() || key || "";
  const access = callerAccess(decision, config.passThrough, secret, config.store);
  if (access instanceof Response) return access;
  const forbidden = operationForbidden(operationId, config.limits);
  if (forbidden) return forbidden;
  if (!key) {
    return errorResponse(500, "missing_api_key", "FIRECRAWL_API_KEY is not set: the interact proxy has no API key");
  }
  const upstreamParams = await ownedParams(access, operationId, params);
  if (upstreamParams instanceof Response) return upstreamParams;
  const forwarded = await forwardedBody(request, operation, config);
  if (!forwarded.ok) return forwarded.response;
  const search = query.toString();
  return forwardToUpstream(
    { apiKey: key, fetch: config.fetch },
    {
      method: operation.method,
      url: `${config.baseUrl}${upstreamPath(operation, upstreamParams)}${search ? `?${search}` : ""}`,
      body: forwarded.body,
      incoming: request.headers,
      signal: request.signal,
      rewrite: (answer) => answerForCaller(access, operationId, answer, config.limits),
    },
  );
}

/**
 * Creates the proxy: forwards only the interact operations of the spec below `basePath` to `baseUrl` with the
 * server's key, after validating bodies and applying `limits`; everything else is answered without an upstream call.
 * The deprecated `/browser` aliases are served too (same operations, same checks), forwarded under their own names.
 */
export function createInteractHandler(options: InteractHandlerOptions = {}): InteractHandler {
  const config = resolveConfig(options);
  return async (request) => {
    try {
      return await handle(request, config);
    } catch {
      // Never echo the thrown value: it may come from authorize or fetch and carry anything.
      return errorResponse(500, "internal_error", "The interact proxy failed");
    }
  };
}
