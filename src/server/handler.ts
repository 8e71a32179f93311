import type { ConstraintSchema } from "../../generated/constraints.js";
import { DEFAULT_BASE_URL } from "../client/client.js";
import { MAX_BODY_BYTES, readJsonBody } from "../core/json-body.js";
import { canonicalOperationId, type InteractOperation, type InteractOperationId } from "../core/operations.js";
import { validateRequest } from "../core/validate.js";
import { type InteractProxyLimits, limitCreateSession, operationForbidden, resolveLimits } from "./limits.js";
import { errorResponse, toResponse, validationFailure } from "./respond.js";
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

/**
 * Creates the proxy: forwards only the interact operations of the spec below `basePath` to `baseUrl` with the
 * server's key, after validating bodies and applying `limits`; everything else is answered without an upstream call.
 * The deprecated `/browser` aliases are served too (same operations, same checks), forwarded under their own names.
 */
export function createInteractHandler(options: InteractHandlerOptions = {}): InteractHandler {
  const basePath = normalizeBasePath(options.basePath ?? "/api/firecrawl");
  const baseUrl = new URL(options.baseUrl ?? DEFAULT_BASE_URL).href.replace(/\/+$/, "");
  const limits = resolveLimits(options.limits);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError("firecrawl-interact: maxBodyBytes must be a positive integer");
  }
  const { apiKey = () => globalThis.process?.env?.FIRECRAWL_API_KEY } = options;
  const fetchUpstream = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const match = matchRoute(url.pathname, basePath, request.method);
    if (match.kind === "wrong-method") {
      return errorResponse(405, "method_not_allowed", `Method ${request.method} is not allowed here`, {
        allow: match.allow.join(", "),
      });
    }
    const query = match.kind === "operation" ? declaredQuery(match.operation, url.searchParams) : null;
    if (match.kind === "none" || query === null) {
      return errorResponse(404, "not_found", "No interact operation at this path");
    }
    const { operation, params } = match;
    const operationId = canonicalOperationId(operation.operationId);
    const badQuery = validationFailure(() => validateRequest(operation, { query }));
    if (badQuery) return badQuery;
    const context = { operationId: operation.operationId, sessionId: params.sessionId, jobId: params.jobId };
    if (options.authorize && !(await options.authorize(request, context))) {
      return errorResponse(401, "unauthorized", "Not authorized to use the interact API");
    }
    const forbidden = operationForbidden(operationId, limits);
    if (forbidden) return forbidden;
    const key = (typeof apiKey === "function" ? apiKey() : apiKey)?.trim();
    if (!key) {
      return errorResponse(500, "missing_api_key", "FIRECRAWL_API_KEY is not set: the interact proxy has no API key");
    }

    let body: unknown;
    if (operation.body !== null) {
      const read = await readJsonBody(request, { maxBytes: maxBodyBytes, requireJson: true });
      if (!read.ok) return toResponse(read.error);
      // Create is the one operation whose body may be left out (the client sends `{}`).
      const value = read.value === undefined && operationId === "createBrowserSession" ? {} : read.value;
      const invalid = validationFailure(() => validateRequest(operation, { body: value }));
      if (invalid) return invalid;
      body = pickDeclared(operation.body, value);
      if (operationId === "createBrowserSession") {
        const limited = limitCreateSession(body as Parameters<typeof limitCreateSession>[0], limits);
        if (!limited.ok) return limited.response;
        body = limited.body;
      }
    }
    const search = query.toString();
    return forwardToUpstream(
      { apiKey: key, fetch: fetchUpstream },
      {
        method: operation.method,
        url: `${baseUrl}${url.pathname.slice(basePath.length)}${search ? `?${search}` : ""}`,
        body,
        incoming: request.headers,
        signal: request.signal,
      },
    );
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch {
      // Never echo the thrown value: it may come from authorize or fetch and carry anything.
      return errorResponse(500, "internal_error", "The interact proxy failed");
    }
  };
}
