import { createInteractClient, type InteractClient } from "../client/client.js";
import { DEFAULT_BASE_URL } from "../core/defaults.js";
import { assertFaultSpec, FaultQueue, type FaultSpec } from "./faults.js";
import { type FakeLiveView, type LiveViewHost, liveViewDriver, postFromViewers, viewerFrames } from "./live-view.js";
import { type MswHttp, mswHandlers } from "./msw.js";
import { type ExecuteHandlers, type PromptHandlers, RunHandlerTable } from "./runs.js";
import { type FakePage, ScrapeBook } from "./scrape.js";
import { answerRequest, type FakeRequest, type FakeServerContext } from "./server.js";
import { type FakeSessionInfo, SessionStore } from "./sessions.js";

/** Options of {@link createFakeFirecrawl}. */
export interface FakeFirecrawlOptions {
  /**
   * The API root the fake answers at (default Firecrawl's, `https://api.firecrawl.dev/v2`); `fake.client` uses it. An
   * app whose client talks to its proxy gives that path (`/api/firecrawl`); `fake.fetch` then ignores the origin.
   */
  baseUrl?: string;
  /** When set, only `Authorization: Bearer <apiKey>` is accepted (401 otherwise); by default any caller is. */
  apiKey?: string;
  /** Most sessions active at once (default 4, as on the emulator); one more answers 429 with `Retry-After`. */
  maxSessions?: number;
  /**
   * The clock ttl and activityTtl run on, in epoch ms (default `Date.now()`, read on every call, so
   * `vi.useFakeTimers()` and `vi.setSystemTime()` move it). Expiry needs no timer: it is applied on every request.
   */
  now?: () => number;
  /** `https://host` of the live-view and CDP URLs (default `https://fake-firecrawl.test`, which `<LiveView>` frames). */
  liveViewOrigin?: string;
  /** Answers `execute` and scrape-bound `code`: a function of the call, or answers by exact code. */
  onExecute?: ExecuteHandlers;
  /** Answers scrape-bound `prompt`: a function of the call, or answers by exact prompt; a string is the `output`. */
  onPrompt?: PromptHandlers;
  /** Pages `POST /scrape` answers from, by URL. */
  pages?: Readonly<Record<string, FakePage>>;
}

/** A stateful in-memory Firecrawl interact API: the emulator's behaviour, no browser. */
export interface FakeFirecrawl {
  /** A fetch that answers as the API would: hand it to `createInteractClient({ fetch })` or anything else. */
  readonly fetch: typeof globalThis.fetch;
  /** A ready client on {@link fetch}, with the fake's `baseUrl` and `apiKey`. */
  readonly client: InteractClient;
  /** The API root the fake answers at. */
  readonly baseUrl: string;
  /** Every request received, oldest first, with the status it was answered with. */
  readonly requests: readonly FakeRequest[];
  /**
   * MSW 2 request handlers that answer with the fake: `setupServer(...fake.handlers(http))`, with `http` from your
   * own `msw` (so the fake never imports msw, and the handlers come from the copy your server uses).
   */
  handlers<Handler>(http: MswHttp<Handler>): Handler[];
  /** Every session, oldest first (expiry applied); `status` filters as `GET /interact?status=` does. */
  sessions(status?: FakeSessionInfo["status"]): FakeSessionInfo[];
  /** Drives the live views of a session (by id, or a scrape's browser by `scrapeId`; default: the newest session). */
  liveView(id?: string): FakeLiveView;
  /** Registers (or replaces) the page `POST /scrape` answers for `url`. */
  addPage(url: string, page: FakePage): void;
  /** Sets how `execute` and scrape-bound `code` answer: for every call, or only one session's or scrape's. */
  onExecute(handlers: ExecuteHandlers, id?: string): void;
  /** Sets how scrape-bound `prompt` answers: for every call, or only one scrape's (or its session's). */
  onPrompt(handlers: PromptHandlers, id?: string): void;
  /** Makes the next `count` calls of an operation fail, stall or drop: the emulator's `injectFault`. */
  injectFault(fault: FaultSpec): void;
  /** Removes every pending fault. */
  clearFaults(): void;
}

/** 24 random bytes, base64url: a live-view or CDP token. */
const newToken = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
};

/** The path of a base URL (relative ones resolved against a placeholder), without a trailing slash. */
const basePathOf = (baseUrl: string) => new URL(baseUrl, "http://base.invalid").pathname.replace(/\/+$/, "");

/**
 * Creates an in-memory Firecrawl for tests, in jsdom or a browser (no Node API, no Chromium): sessions with ids and
 * live-view/CDP URLs, ttl and activityTtl on an injectable clock, the status filter, 410 after delete, `maxSessions` →
 * 429 with `Retry-After`, the spec's 400 bodies (the same validator and codes as the emulator), runs answered by the
 * test's handlers, scrapes answered from registered pages, faults and a record of every request.
 */
export function createFakeFirecrawl(options: FakeFirecrawlOptions = {}): FakeFirecrawl {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const now = options.now ?? (() => Date.now());
  const origin = (options.liveViewOrigin ?? "https://fake-firecrawl.test").replace(/\/+$/, "");
  const newId = () => crypto.randomUUID();
  const requests: FakeRequest[] = [];
  const sessions: SessionStore = new SessionStore({
    now,
    maxSessions: options.maxSessions ?? 4,
    origin,
    newId,
    newToken,
    // A real viewer says "ended" as soon as its session is gone; a DOM-less test has no viewer to tell.
    onEnd: (session) => {
      if ((globalThis as { document?: unknown }).document)
        postFromViewers(viewerFrames(host, session.id), "ended", session.id);
    },
  });
  const scrapes = new ScrapeBook(newId);
  for (const [url, page] of Object.entries(options.pages ?? {})) scrapes.addPage(url, page);
  const runs = new RunHandlerTable(options.onExecute, options.onPrompt);
  const faults = new FaultQueue();
  const context: FakeServerContext = {
    state: { sessions, scrapes, runs },
    faults,
    basePath: basePathOf(baseUrl),
    apiKey: options.apiKey,
    now,
    record: (request) => requests.push(request),
  };
  const host: LiveViewHost = {
    find: (id) => findSession(sessions, scrapes, id),
    hasViewToken: (id, token) => sessions.hasViewToken(id, token),
    end: (session) => sessions.end(session, "deleted"),
    origin,
  };
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => answerRequest(context, toRequest(input, init));
  return {
    fetch: fetch as typeof globalThis.fetch,
    client: createInteractClient({ baseUrl, fetch: fetch as typeof globalThis.fetch, apiKey: options.apiKey }),
    baseUrl,
    requests,
    handlers: (http) => mswHandlers(http, baseUrl, context.basePath, fetch),
    sessions: (status) => sessions.list(status),
    liveView: (id) => liveViewDriver(host, id ?? newestSession(sessions)),
    addPage: (url, page) => scrapes.addPage(url, page),
    onExecute: (handlers, id) => runs.setExecute(handlers, id),
    onPrompt: (handlers, id) => runs.setPrompt(handlers, id),
    injectFault: (fault) => {
      assertFaultSpec(fault);
      faults.add(fault);
    },
    clearFaults: () => faults.clear(),
  };
}

/** What a fetch was called with as a Request; a relative URL (`/api/firecrawl/interact`) against the page, as a browser's. */
function toRequest(input: RequestInfo | URL, init: RequestInit | undefined): Request {
  if (input instanceof Request) return init === undefined ? input : new Request(input, init);
  const page = (globalThis as { location?: { href: string } }).location?.href;
  return new Request(typeof input === "string" && page ? new URL(input, page) : input, init);
}

/** The session of a session id, or the browser of a scrape id; throws naming the id when there is none. */
function findSession(sessions: SessionStore, scrapes: ScrapeBook, id: string): FakeSessionInfo {
  const scrapeSession = scrapes.job(id)?.sessionId;
  const session = sessions.get(scrapeSession ?? id);
  if (!session) throw new Error(`fake.liveView("${id}"): no session or scrape browser has this id`);
  return session;
}

/** The id of the newest session, for `liveView()` without one. */
function newestSession(sessions: SessionStore): string {
  const newest = sessions.list().at(-1);
  if (!newest) throw new Error("fake.liveView(): no session was created yet");
  return newest.id;
}
