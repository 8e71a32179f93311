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
