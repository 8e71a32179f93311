import createClient, { type Client } from "openapi-fetch";
import type { RequestConstraint } from "../../generated/constraints.js";
import {
  createBrowserSessionRequest,
  deleteBrowserSessionRequest,
  executeBrowserCodeRequest,
  getBrowserSessionRequest,
  getScrapeStatusRequest,
  interactWithScrapeBrowserSessionRequest,
  listBrowserSessionsRequest,
  scrapeAndExtractFromUrlBoundsRequest,
  stopInteractiveScrapeBrowserSessionRequest,
} from "../../generated/constraints.js";
import type { paths } from "../../generated/schema.js";
import { DEFAULT_BASE_URL } from "../core/defaults.js";
import { errorFromResponse, InteractApiError } from "../core/errors.js";
import { keyRedactor } from "../core/redact.js";
import type {
  CreateSessionRequest,
  CreateSessionResponse,
  DeleteSessionResponse,
  ExecuteRequest,
  ExecuteResponse,
  ListSessionsResponse,
  ScrapeInteractRequest,
  ScrapeInteractResponse,
  ScrapeRequest,
  ScrapeResult,
  ScrapeStatusResult,
  SessionStatus,
  SessionStatusResult,
  StopInteractionResponse,
} from "../core/types.js";
import { validateRequest } from "../core/validate.js";

/** Options of {@link createInteractClient}. */
export interface InteractClientOptions {
  /** Firecrawl API key, sent as `Authorization: Bearer …`. Leave it out in browsers that talk to your own proxy. */
  apiKey?: string;
  /** API root: Firecrawl's `/v2` (default), the emulator's `url`, or your proxy's path such as `/api/firecrawl`. */
  baseUrl?: string;
  /** The fetch to use (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** Per-call options of the friendly methods. */
export interface CallOptions {
  /** Aborts the request; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Asks fetch to finish the request even if the page unloads (used for best-effort cleanup on `pagehide`). */
  keepalive?: boolean;
}

/** A typed client for the interact API. */
export interface InteractClient {
  /** The raw openapi-fetch client, typed from the generated spec. */
  readonly raw: Client<paths>;
  /** The API root this client talks to. */
  readonly baseUrl: string;
  /** Creates a live browser session (`POST /interact`). */
  createSession(body?: CreateSessionRequest, options?: CallOptions): Promise<CreateSessionResponse>;
  /** Lists sessions, optionally only `active` or `destroyed` ones (`GET /interact`). */
  listSessions(query?: { status?: SessionStatus }, options?: CallOptions): Promise<ListSessionsResponse>;
  /** Runs code in a session (`POST /interact/{sessionId}/execute`). */
  execute(sessionId: string, body: ExecuteRequest, options?: CallOptions): Promise<ExecuteResponse>;
  /** Gets a session's status and URLs (`GET /interact/{sessionId}`): `running`, or `stopped` once it ended. */
  getSession(sessionId: string, options?: CallOptions): Promise<SessionStatusResult>;
  /** Destroys a session (`DELETE /interact/{sessionId}`). */
  deleteSession(sessionId: string, options?: CallOptions): Promise<DeleteSessionResponse>;
  /**
   * Runs code, or a prompt for an agent, on the browser of a scrape job (`POST /scrape/{jobId}/interact`); the first
   * call opens that browser at the scrape's page, later calls reuse it.
   */
  interact(scrapeId: string, body: ScrapeInteractRequest, options?: CallOptions): Promise<ScrapeInteractResponse>;
  /** Stops the browser of a scrape job (`DELETE /scrape/{jobId}/interact`). */
  stopInteraction(scrapeId: string, options?: CallOptions): Promise<StopInteractionResponse>;
  /** Scrapes a page (`POST /scrape`); `data.metadata.scrapeId` of the answer is the job `interact` acts on. */
  scrape(body: ScrapeRequest, options?: CallOptions): Promise<ScrapeResult>;
  /** Gets a scrape job's answer by its id (`GET /scrape/{jobId}`). */
  getScrape(scrapeId: string, options?: CallOptions): Promise<ScrapeStatusResult>;
}

/** What openapi-fetch resolves to when asked for `parseAs: "text"`. */
interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Resolves a relative base URL (`/api/firecrawl`) against the page, at request time so SSR imports don't throw. */
class PageRelativeRequest extends Request {
  // openapi-fetch always passes the URL as a string.
  constructor(input: string, init?: RequestInit) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    if (!base && !/^[a-z][a-z\d+.-]*:/i.test(input)) {
      throw new TypeError("firecrawl-interact: a relative baseUrl needs a page");
    }
    super(new URL(input, base), init);
  }
}

/** The HTTP methods of the interact operations. */
type Method = "GET" | "POST" | "DELETE";

/** What one call sends besides its route: path parameters, query parameters and JSON body. */
interface CallParts {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
}

/** Checks one operation's request against the spec, sends it and resolves with its parsed JSON answer. */
type Send = <T>(
  operation: RequestConstraint,
  method: Method,
  path: string,
  parts: CallParts,
  call?: CallOptions,
) => Promise<T>;

/**
 * A client's sender: a request that breaks the spec rejects with an InteractValidationError before anything is sent;
 * every other failure becomes a typed error, key redacted (an abort rethrows the signal's reason).
 */
function createSend(raw: Client<paths>, redact: (text: string) => string): Send {
  return async <T>(
    operation: RequestConstraint,
    method: Method,
    path: string,
    { params, query, body }: CallParts,
    call: CallOptions = {},
  ): Promise<T> => {
    validateRequest(operation, { params, query: { get: (name) => query?.[name] ?? null }, body });
    let result: RawResult;
    try {
      result = await (raw[method] as (path: string, init: object) => Promise<RawResult>)(path, {
        params: { path: params, query },
        body,
        ...call,
        parseAs: "text",
      });
    } catch (error) {
      if (call.signal?.aborted || (error as Error)?.name === "AbortError") throw call.signal?.reason ?? error;
      throw new InteractApiError({
        status: 0,
        code: "network_error",
        message: redact(`Network error: ${(error as Error)?.message ?? error}`),
      });
    }
    const { response, data } = result;
    if (!response.ok) throw errorFromResponse(response, result.error, redact);
    try {
      return JSON.parse(data as string) as T;
    } catch {
      throw new InteractApiError({
        status: response.status,
        code: "invalid_response",
        message: `Expected a JSON body from ${response.status} response, got ${data ? `"${redact((data as string).slice(0, 80))}"` : "an empty body"}`,
        body: data,
      });
    }
  };
}

/** Creates a typed client for Firecrawl's interact API (or the emulator, or your proxy). */
export const createInteractClient = (options: InteractClientOptions = {}): InteractClient => {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const { apiKey, headers } = options;
  const raw = createClient<paths>({
    baseUrl,
    headers: apiKey ? { ...headers, Authorization: `Bearer ${apiKey}` } : headers,
    // Look the global fetch up per call, so test doubles installed later are honoured.
    fetch: (request: Request) => (options.fetch ?? fetch)(request),
    Request: PageRelativeRequest as typeof Request,
  });
  const send = createSend(raw, keyRedactor(apiKey));
  return {
    raw,
    baseUrl,
    createSession: (body = {}, call) => send(createBrowserSessionRequest, "POST", "/interact", { body }, call),
    listSessions: ({ status } = {}, call) =>
      send(listBrowserSessionsRequest, "GET", "/interact", { query: { status } }, call),
    execute: (sessionId, body, call) =>
      send(executeBrowserCodeRequest, "POST", "/interact/{sessionId}/execute", { params: { sessionId }, body }, call),
    getSession: (sessionId, call) =>
      send(getBrowserSessionRequest, "GET", "/interact/{sessionId}", { params: { sessionId } }, call),
    deleteSession: (sessionId, call) =>
      send(deleteBrowserSessionRequest, "DELETE", "/interact/{sessionId}", { params: { sessionId } }, call),
    interact: (jobId, body, call) =>
      send(
        interactWithScrapeBrowserSessionRequest,
        "POST",
        "/scrape/{jobId}/interact",
        { params: { jobId }, body },
        call,
      ),
    stopInteraction: (jobId, call) =>
      send(
        stopInteractiveScrapeBrowserSessionRequest,
        "DELETE",
        "/scrape/{jobId}/interact",
        { params: { jobId } },
        call,
      ),
    // What its type can't say (the url's form, the timeout's range): the whole scrape constraint would weigh more than
    // the rest of the client, and the server (or the proxy, which checks it all) checks the other fields.
    scrape: (body, call) => send(scrapeAndExtractFromUrlBoundsRequest, "POST", "/scrape", { body }, call),
    getScrape: (jobId, call) => send(getScrapeStatusRequest, "GET", "/scrape/{jobId}", { params: { jobId } }, call),
  };
};
