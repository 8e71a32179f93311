import type { ConstraintSchema } from "../../generated/constraints.js";
import { DEFAULT_BASE_PATH, DEFAULT_BASE_URL } from "../core/defaults.js";
import { MAX_BODY_BYTES, readJsonBody } from "../core/json-body.js";
import { canonicalOperationId, type InteractOperation, type InteractOperationId } from "../core/operations.js";
import { validateRequest } from "../core/validate.js";
import {
  type InteractProxyLimits,
  limitCreateSession,
  operationForbidden,
  type ResolvedLimits,
  resolveLimits,
} from "./limits.js";
import { errorResponse, noOperationResponse, toResponse, validationFailure } from "./respond.js";
import { matchRoute, normalizeBasePath } from "./routes.js";
import { forwardToUpstream } from "./upstream.js";

/** What `authorize` learns about the request besides the request itself. */
export interface AuthorizeContext {
  /** The spec's operation id, e.g. `createBrowserSession` or `deleteBrowserSessionAlias`. */
  readonly operationId: InteractOperationId;
  /** The session the request is about, for execute and delete. */
  readonly sessionId: string | undefined;
  /** The scrape job the request is about, for the scrape-interact operations. */
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
  /** What browsers may ask for: ttl caps, profiles, execute, scrape interaction. */
  limits?: InteractProxyLimits;
  /** Decides whether a request may proceed (your session cookie check); false → 401. */
  authorize?: (request: Request, context: AuthorizeContext) => boolean | Promise<boolean>;
  /** The fetch used to call upstream (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Largest request body accepted, in bytes (default 10 MB, Firecrawl's own limit); larger → 413. */
  maxBodyBytes?: number;
}

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
function declaredQuery(operation: InteractOperation, search: URLSearchParams): URLSearchParams | null {
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
  readonly authorize: InteractHandlerOptions["authorize"];
  readonly fetch: typeof globalThis.fetch;
}

/** Checks the options once, when the handler is created, so a misconfiguration throws at start-up, not per request. */
function resolveConfig(options: InteractHandlerOptions): HandlerConfig {
  const basePath = normalizeBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const baseUrl = new URL(options.baseUrl ?? DEFAULT_BASE_URL).href.replace(/\/+$/, "");
  const limits = resolveLimits(options.limits);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError("firecrawl-interact: maxBodyBytes must be a positive integer");
  }
  const { apiKey = () => globalThis.process?.env?.FIRECRAWL_API_KEY } = options;
  return {
    basePath,
    baseUrl,
    limits,
    maxBodyBytes,
    apiKey: typeof apiKey === "function" ? apiKey : () => apiKey,
    authorize: options.authorize,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}

/** The body to forward, or the answer to give instead. */
type ForwardedBody =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly response: Response };

/** Reads the JSON body, validates it, keeps only its declared properties and, for create, applies the limits. */
async function forwardedBody(
  request: Request,
  operation: InteractOperation,
  config: HandlerConfig,
): Promise<ForwardedBody> {
  if (operation.body === null) return { ok: true, body: undefined };
  const read = await readJsonBody(request, { maxBytes: config.maxBodyBytes, requireJson: true });
  if (!read.ok) return { ok: false, response: toResponse(read.error) };
  const isCreate = canonicalOperationId(operation.operationId) === "createBrowserSession";
  // Create is the one operation whose body may be left out (the client sends `{}`).
  const value = read.value === undefined && isCreate ? {} : read.value;
  const invalid = validationFailure(() => validateRequest(operation, { body: value }));
  if (invalid) return { ok: false, response: invalid };
  const body = pickDeclared(operation.body, value);
  if (!isCreate) return { ok: true, body };
  return limitCreateSession(body as Parameters<typeof limitCreateSession>[0], config.limits);
}

/** Answers one request: route, query, authorize, limits and key, body, then the upstream call. */
async function handle(request: Request, config: HandlerConfig): Promise<Response> {
  const url = new URL(request.url);
  const match = matchRoute(url.pathname, config.basePath, request.method);
  const query = match.kind === "operation" ? declaredQuery(match.operation, url.searchParams) : null;
  if (match.kind !== "operation" || query === null) return noOperationResponse(match, request.method);
  const { operation, params } = match;
  const badQuery = validationFailure(() => validateRequest(operation, { query }));
  if (badQuery) return badQuery;
  const context = { operationId: operation.operationId, sessionId: params.sessionId, jobId: params.jobId };
  if (config.authorize && !(await config.authorize(request, context))) {
    return errorResponse(401, "unauthorized", "Not authorized to use the interact API");
  }
  const forbidden = operationForbidden(canonicalOperationId(operation.operationId), config.limits);
  if (forbidden) return forbidden;
  const key = config.apiKey()?.trim();
  if (!key) {
    return errorResponse(500, "missing_api_key", "FIRECRAWL_API_KEY is not set: the interact proxy has no API key");
  }
  const forwarded = await forwardedBody(request, operation, config);
  if (!forwarded.ok) return forwarded.response;
  const search = query.toString();
  return forwardToUpstream(
    { apiKey: key, fetch: config.fetch },
    {
      method: operation.method,
      url: `${config.baseUrl}${url.pathname.slice(config.basePath.length)}${search ? `?${search}` : ""}`,
      body: forwarded.body,
      incoming: request.headers,
      signal: request.signal,
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
