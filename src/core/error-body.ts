import type { InteractValidationError, ValidationRule } from "./errors.js";

/** Every `code` an error body of the proxy or the emulator carries (Firecrawl's own codes pass through untouched). */
export type InteractErrorCode =
  // Firecrawl's server: a body or parameter that breaks the spec, and a body that is not JSON.
  | "BAD_REQUEST"
  | "BAD_REQUEST_INVALID_JSON"
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "payload_too_large"
  | "missing_api_key"
  | "upstream_unreachable"
  | "invalid_upstream_response"
  | "internal_error"
  | "unsupported_language"
  | "profile_busy"
  | "session_destroyed"
  | "too_many_sessions"
  | "browser_failed"
  | "payment_required"
  | "rate_limited"
  | "unavailable"
  | "timeout"
  | "injected_fault"
  // The proxy: a per-user listing or scrape interaction with no owner store configured.
  | "owner_store_required"
  // The emulator: a prompt sent while no agent is plugged in, and an agent that threw.
  | "agent_not_configured"
  | "agent_failed";

/** `details` of a 400 `invalid_request`: which field broke which bound of the spec. */
export interface InvalidRequestDetails {
  /** Dotted path of the field, e.g. `ttl` or `profile.name`. */
  readonly field: string;
  /** The constraint that failed. */
  readonly rule: ValidationRule;
  /** The bound that was broken, when the rule has one. */
  readonly limit?: number | string | readonly unknown[] | undefined;
}

/** The JSON body of an error answer, in Firecrawl's `{ success: false, error, code, details? }` shape. */
export interface ErrorBody {
  readonly success: false;
  readonly error: string;
  readonly code: InteractErrorCode;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** An error answer not yet written to the wire: status, body and extra headers (`Retry-After`, `Allow`). */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

/** Builds an error answer; `details` is left out of the body when absent. */
export const errorAnswer = (
  status: number,
  code: InteractErrorCode,
  error: string,
  details?: Readonly<Record<string, unknown>>,
  headers: Readonly<Record<string, string>> = {},
): ErrorAnswer => ({
  status,
  body: details === undefined ? { success: false, error, code } : { success: false, error, code, details },
  headers,
});

/** The 400 answer for a request that broke a bound of the spec, naming the field, rule and bound. */
export const invalidRequestAnswer = (error: InteractValidationError): ErrorAnswer =>
  errorAnswer(400, "invalid_request", error.message, {
    field: error.field,
    rule: error.rule,
    limit: error.limit,
  } satisfies InvalidRequestDetails);
