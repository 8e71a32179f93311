import { type ErrorAnswer, errorAnswer, type InteractErrorCode } from "firecrawl-interact/core";

/** An error answer of the emulator, thrown by handlers and services and written by the HTTP routes. */
export class EmulatorHttpError extends Error {
  override readonly name = "EmulatorHttpError";
  /** Status, body and headers to answer with. */
  readonly answer: ErrorAnswer;

  constructor(
    status: number,
    code: InteractErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
    /** Seconds to put in `Retry-After`. */
    retryAfterSeconds?: number,
  ) {
    super(message);
    const headers: Record<string, string> = {};
    if (status === 405 && Array.isArray(details?.allow)) headers.Allow = details.allow.join(", ");
    if (retryAfterSeconds !== undefined) headers["Retry-After"] = String(retryAfterSeconds);
    this.answer = errorAnswer(status, code, message, details, headers);
  }

  /** Wraps an error answer of the core (validation, body reading) so handlers can throw it. */
  static from(answer: ErrorAnswer): EmulatorHttpError {
    const { status, body, headers } = answer;
    const retryAfter = headers["Retry-After"];
    return new EmulatorHttpError(
      status,
      body.code,
      body.error,
      body.details,
      retryAfter ? Number(retryAfter) : undefined,
    );
  }

  /** HTTP status to answer with. */
  get status(): number {
    return this.answer.status;
  }

  /** Machine-readable code placed in the body. */
  get code(): InteractErrorCode {
    return this.answer.body.code;
  }
}

/** The 503 of a request that arrives, or is cut short, while the emulator closes. */
export const shuttingDown = (): EmulatorHttpError =>
  new EmulatorHttpError(503, "unavailable", "The emulator is shutting down");

/**
 * The 410 of a session that already ended, with why in `details.reason`; `message` is the route's wording
 * (Firecrawl words the scrape-bound one differently).
 */
export const sessionDestroyed = (
  reason: string | undefined,
  message = "Session already destroyed",
): EmulatorHttpError => new EmulatorHttpError(410, "session_destroyed", message, { reason });

/** The 502 of a browser that could not be started, reached or brought to a state. */
export const browserFailed = (message: string): EmulatorHttpError =>
  new EmulatorHttpError(502, "browser_failed", message);

/** The message of anything thrown. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The first line of a thrown message (Playwright's go on with call logs). */
export const firstLine = (error: unknown): string => errorMessage(error).split("\n")[0] ?? "";

/**
 * The 403 Firecrawl answers for another team's session or scrape job; `message` is the route's wording (its scrape
 * status words it differently).
 */
export const forbidden = (message = "Forbidden."): EmulatorHttpError =>
  new EmulatorHttpError(403, "forbidden", message);

/** Firecrawl's 400 for a `{jobId}` that is not a UUID (`details` as the spec's validator names the bound). */
export const invalidJobId = (): EmulatorHttpError =>
  new EmulatorHttpError(400, "BAD_REQUEST", "Invalid job ID format. Job ID must be a valid UUID.", {
    field: "jobId",
    rule: "format",
    limit: "uuid",
  });

/** Firecrawl's 404 for a scrape job it does not know (or that kept no data, for its status). */
export const jobNotFound = (): EmulatorHttpError => new EmulatorHttpError(404, "not_found", "Job not found.");

/** Firecrawl's 404 of the session routes it words so (status, replay, the scrape-bound stop). */
export const browserSessionNotFound = (): EmulatorHttpError =>
  new EmulatorHttpError(404, "not_found", "Browser session not found.");
