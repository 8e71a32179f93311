import { type ErrorAnswer, errorAnswer, invalidRequestAnswer } from "../core/error-body.js";
import type { InteractValidationError } from "../core/errors.js";

/** An error answer thrown inside the fake and written as its response (the emulator's `EmulatorHttpError`). */
export class FakeAnswerError extends Error {
  override readonly name = "FakeAnswerError";
  /** Status, body and headers to answer with. */
  readonly answer: ErrorAnswer;

  constructor(answer: ErrorAnswer) {
    super(answer.body.error);
    this.answer = answer;
  }
}

const fail = (...args: Parameters<typeof errorAnswer>) => new FakeAnswerError(errorAnswer(...args));

// Every text below is the emulator's, word for word, so a test passes on both.

/** 404 for a path that is no operation. */
export const noRoute = (method: string, path: string) => fail(404, "not_found", `No route for ${method} ${path}`);

/** 405 for a known path with another method. */
export const wrongMethod = (method: string, allow: readonly string[]) =>
  fail(405, "method_not_allowed", `Method ${method} not allowed here`, { allow }, { Allow: allow.join(", ") });

/** 401 for a missing or wrong Bearer key. */
export const unauthorized = () => fail(401, "unauthorized", "Unauthorized: missing or invalid API key");

/** 415 for a body sent as anything but JSON. */
export const notJson = () => fail(415, "unsupported_media_type", "Request body must be sent as application/json");

/** 400 `BAD_REQUEST` with `{ field, rule, limit }`: Firecrawl's code for a request that breaks the spec. */
export const badRequest = (error: InteractValidationError) => {
  const { status, body } = invalidRequestAnswer(error);
  return fail(status, "BAD_REQUEST", body.error, body.details);
};

/** 404 for a session id nobody created. */
export const sessionNotFound = () => fail(404, "not_found", "Session not found");

/** 410 for a session that ended, with why; the scrape-bound route words it as Firecrawl does. */
export const sessionDestroyed = (reason: string | undefined, message = "Session already destroyed") =>
  fail(410, "session_destroyed", message, { reason });

/** 404 for a scrape id the fake never answered. */
export const jobNotFound = () => fail(404, "not_found", "Job not found.");

/** 404 for a session status nobody can give, and for stopping a scrape's browser that is not open (Firecrawl's words). */
export const browserSessionNotFound = () => fail(404, "not_found", "Browser session not found.");

/** 429 at `maxSessions`, with the seconds until a slot frees up by itself. */
export const tooManySessions = (maxSessions: number, retryAfterSeconds: number) =>
  fail(
    429,
    "too_many_sessions",
    `At most ${maxSessions} session${maxSessions === 1 ? "" : "s"} may be active at once`,
    { maxSessions },
    { "Retry-After": String(retryAfterSeconds) },
  );

/** 409 for a second saving session on one profile. */
export const profileBusy = (name: string) =>
  fail(409, "profile_busy", `Profile "${name}" already has a saving session; end it or use saveChanges: false`, {
    field: "profile.name",
  });

/** 502 for a scrape of a URL no page was registered for: the emulator's answer for a page it cannot load. */
export const pageNotRegistered = (url: string) =>
  fail(
    502,
    "upstream_unreachable",
    `Could not load ${url}: no page registered for this URL (fake.addPage(url, { html, markdown }))`,
  );

/** 500 for anything a test's handler threw. */
export const internalError = (error: unknown) =>
  fail(500, "internal_error", error instanceof Error ? error.message : String(error));
