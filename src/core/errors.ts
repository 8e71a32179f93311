/** Which constraint of the spec a request broke. */
export type ValidationRule =
  | "type"
  | "required"
  | "minimum"
  | "maximum"
  | "minLength"
  | "maxLength"
  | "maxBytes"
  | "pattern"
  | "format"
  | "enum"
  | "oneOf";

/** Thrown before any request is sent when a body, query or path parameter breaks the spec's constraints. */
export class InteractValidationError extends Error {
  override readonly name = "InteractValidationError";
  /** Always "invalid_request", so callers can branch on `code` for every error of this package. */
  readonly code = "invalid_request";
  /** Dotted path of the offending field, e.g. `profile.name` or `sessionId`. */
  readonly field: string;
  /** The constraint that failed. */
  readonly rule: ValidationRule;
  /** The bound that was broken (a number, a pattern, or the allowed values), when the rule has one. */
  readonly limit: number | string | readonly unknown[] | undefined;

  constructor(field: string, rule: ValidationRule, message: string, limit?: number | string | readonly unknown[]) {
    super(message);
    this.field = field;
    this.rule = rule;
    this.limit = limit;
  }
}

/** Fields of an {@link InteractApiError}. */
export interface InteractApiErrorInit {
  status: number;
  message: string;
  code?: string | undefined;
  retryAfterMs?: number | undefined;
  body?: unknown;
  cause?: unknown;
}

/**
 * Thrown for anything that went wrong on the wire: an error status (`status` is the HTTP status), a body that is
 * not JSON (`code: "invalid_response"`), or a request that never got an answer (`status: 0`, `code: "network_error"`).
 */
export class InteractApiError extends Error {
  override readonly name = "InteractApiError";
  /** HTTP status of the answer; 0 when no answer arrived. */
  readonly status!: number;
  /** The server's machine-readable code when its body has one, else one of ours (`network_error`, `invalid_response`, `http_<status>`). */
  readonly code!: string;
  /** How long the server asked us to wait, from `Retry-After` (seconds or HTTP date). */
  readonly retryAfterMs: number | undefined;
  /** The parsed error body (JSON when it was JSON, else the text; undefined when empty). */
  readonly body: unknown;

  constructor(init: InteractApiErrorInit) {
    // ErrorOptions only sets `cause` when the key is present, so `init` itself can be the options.
    super(init.message, init);
    // The fields above are declared (so they always exist); init fills those it has.
    Object.assign(this, init);
    this.code ??= `http_${init.status}`;
  }
}

/** Parses a `Retry-After` header (delay in seconds, or an HTTP date) into milliseconds from `now`. */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  const text = value?.trim();
  if (!text) return;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(+text * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/** Builds the typed error for a non-2xx answer whose body has already been read (and parsed when it was JSON). */
export const errorFromResponse = (
  response: Response,
  body: unknown,
  redact: (text: string) => string = (text) => text,
): InteractApiError => {
  const { status } = response;
  const { error, message, code } = ((typeof body === "object" && body) || {}) as Record<string, unknown>;
  const text = typeof body === "string" ? body.trim().slice(0, 500) : "";
  return new InteractApiError({
    status,
    // The server's words first; an object `error` as JSON (never "[object Object]"); the status line last.
    message: redact(
      (typeof error === "string" && error) ||
        (typeof message === "string" && message) ||
        (typeof error === "object" && error && JSON.stringify(error)) ||
        text ||
        `HTTP ${status}${response.statusText && ` ${response.statusText}`}`,
    ),
    code: typeof code === "string" ? code : undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("Retry-After")),
    body: body === "" ? undefined : body,
  });
};

/** Every error this package reports: an API/network error, or a request refused by validation before sending. */
export type InteractError = InteractApiError | InteractValidationError;

/** Returns the client's typed error as is; wraps anything unexpected so callers can always branch on `code`. */
export const toInteractError = (error: unknown): InteractError => {
  if (error instanceof InteractApiError || error instanceof InteractValidationError) return error;
  return new InteractApiError({
    status: 0,
    code: "client_error",
    message: String((error as Error)?.message ?? error),
    cause: error,
  });
};
