import { type ErrorBody, errorAnswer, type InteractErrorCode } from "../core/error-body.js";
import { InteractApiError } from "../core/errors.js";
import type {
  CreateSessionResponse,
  ExecuteResponse,
  InteractSession,
  ScrapeInteractResponse,
  ScrapeResult,
} from "../core/types.js";
import { defaultExecuteAnswer } from "./runs.js";

// Answers for a test to hand to a mock, each in the spec's shape with every field the emulator fills, and overrides
// on top. The ids are fixed, so a snapshot or an assertion can name them.

/** The id every factory uses unless overridden. */
export const FAKE_SESSION_ID = "3f1c9a52-0000-4000-8000-00000000a001";
/** The scrape id {@link fakeScrapeResult} uses unless overridden. */
export const FAKE_SCRAPE_ID = "3f1c9a52-0000-4000-8000-00000000b001";

const ORIGIN = "https://fake-firecrawl.test";
const CREATED_AT = "2030-01-01T00:00:00.000Z";

const urls = (id: string) => ({
  cdpUrl: `${ORIGIN.replace(/^http/, "ws")}/cdp/${id}?token=cdp`,
  liveViewUrl: `${ORIGIN}/live/${id}?token=view`,
  interactiveLiveViewUrl: `${ORIGIN}/live/${id}?token=interactive&interactive=true`,
});

/** A `POST /interact` answer: a session of ten minutes (the spec's default ttl) from 2030-01-01. */
export const fakeSession = (overrides: Partial<CreateSessionResponse> = {}): Required<CreateSessionResponse> => {
  const id = overrides.id ?? FAKE_SESSION_ID;
  return { success: true, id, ...urls(id), expiresAt: "2030-01-01T00:10:00.000Z", ...overrides };
};

/** One entry of `GET /interact`: an active session created 2030-01-01. */
export const fakeSessionEntry = (overrides: Partial<InteractSession> = {}): Required<InteractSession> => {
  const id = overrides.id ?? FAKE_SESSION_ID;
  return {
    id,
    status: "active",
    ...urls(id),
    streamWebView: true,
    createdAt: CREATED_AT,
    lastActivity: CREATED_AT,
    ...overrides,
  };
};

/** A `POST /interact/{id}/execute` answer: a run that exited 0 and printed nothing. */
export const fakeExecuteResult = (overrides: Partial<ExecuteResponse> = {}): ExecuteResponse => ({
  ...defaultExecuteAnswer(),
  ...overrides,
});

/** A `POST /scrape/{id}/interact` answer: a code run (`output: null`) on the scrape's browser, with its URLs. */
export const fakeInteractResult = (overrides: Partial<ScrapeInteractResponse> = {}): ScrapeInteractResponse => ({
  ...defaultExecuteAnswer(),
  ...urls(FAKE_SESSION_ID),
  output: null,
  ...overrides,
});

type ScrapeData = ScrapeResult["data"];

/** Overrides of {@link fakeScrapeResult}: `data` and `data.metadata` are merged one level deep. */
export interface ScrapeResultOverrides extends Partial<Omit<ScrapeResult, "data">> {
  readonly data?: Partial<Omit<ScrapeData, "metadata">> & { readonly metadata?: Partial<ScrapeData["metadata"]> };
}

/** A `POST /scrape` answer for `https://example.com/`: markdown, a title, status 200, and {@link FAKE_SCRAPE_ID}. */
export const fakeScrapeResult = (overrides: ScrapeResultOverrides = {}): ScrapeResult => {
  const { data = {}, ...rest } = overrides;
  const { metadata = {}, ...fields } = data;
  const url = "https://example.com/";
  return {
    success: true,
    ...rest,
    data: {
      markdown: "# Example Domain",
      ...fields,
      metadata: {
        title: "Example Domain",
        sourceURL: url,
        url,
        statusCode: 200,
        scrapeId: FAKE_SCRAPE_ID,
        ...metadata,
      },
    },
  };
};

/** Fields of {@link fakeApiError}; `body` defaults to the error body the emulator sends for them. */
export interface ApiErrorOverrides {
  readonly status?: number;
  /** The error's `code` (an {@link InteractErrorCode}, or Firecrawl's own). */
  readonly code?: string;
  readonly message?: string;
  readonly retryAfterMs?: number;
  readonly body?: unknown;
}

/**
 * The `InteractApiError` the client throws for an error answer, by default the emulator's 429 at `maxSessions`:
 * `instanceof InteractApiError` holds, so an app's error branch sees it as it would a real one.
 */
export const fakeApiError = (overrides: ApiErrorOverrides = {}): InteractApiError => {
  const { status = 429, code = "too_many_sessions", retryAfterMs } = overrides;
  const message = overrides.message ?? (status === 429 ? "At most 4 sessions may be active at once" : `HTTP ${status}`);
  const body: ErrorBody | unknown =
    "body" in overrides ? overrides.body : errorAnswer(status, code as InteractErrorCode, message).body;
  return new InteractApiError({ status, code, message, retryAfterMs, body });
};
