import type { ValidationRule } from "../client/errors.js";
import { InteractValidationError } from "../client/errors.js";

/** Codes of the errors the proxy answers itself (upstream errors pass through with their own codes). */
export type ProxyErrorCode =
  | "not_found"
  | "method_not_allowed"
  | "unauthorized"
  | "forbidden"
  | "invalid_request"
  | "unsupported_media_type"
  | "payload_too_large"
  | "upstream_unreachable"
  | "invalid_upstream_response"
  | "internal_error";

/** `details` of a 400 `invalid_request`: which field broke which bound of the spec. */
export interface InvalidRequestDetails {
  /** Dotted path of the field, e.g. `ttl` or `profile.name`. */
  readonly field: string;
  /** The constraint that failed. */
  readonly rule: ValidationRule;
  /** The bound that was broken, when the rule has one. */
  readonly limit?: number | string | readonly unknown[] | undefined;
}

/** The JSON body of every error the proxy answers itself; same shape as Firecrawl's own errors. */
export interface ProxyErrorBody {
  readonly success: false;
  readonly error: string;
  readonly code: ProxyErrorCode;
  readonly details?: InvalidRequestDetails;
}

/** Headers on every response of the proxy: bodies carry credential URLs, so nothing may cache or sniff them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** Builds a JSON error response in Firecrawl's `{ success: false, error, code, details? }` shape. */
export function errorResponse(
  status: number,
  code: ProxyErrorCode,
  error: string,
  options: { details?: InvalidRequestDetails; headers?: Record<string, string> } = {},
): Response {
  const body: ProxyErrorBody = options.details
    ? { success: false, error, code, details: options.details }
    : { success: false, error, code };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...SECURITY_HEADERS, ...options.headers },
  });
}

/** Turns a validation failure into the 400 `invalid_request` answer, naming the field, rule and bound. */
export function invalidRequest(error: InteractValidationError): Response {
  return errorResponse(400, "invalid_request", error.message, {
    details: { field: error.field, rule: error.rule, limit: error.limit },
  });
}

/** Runs a validator and returns its failure as a 400 response, or null when the value is valid. */
export function validationFailure(validate: () => void): Response | null {
  try {
    validate();
    return null;
  } catch (error) {
    if (error instanceof InteractValidationError) return invalidRequest(error);
    throw error;
  }
}
