import type { OperationConstraint } from "../../generated/constraints.js";
import { type ErrorAnswer, errorAnswer, type InteractErrorCode, invalidRequestAnswer } from "../core/error-body.js";
import type { OperationMatch } from "../core/operations.js";
import { validationError } from "../core/validate.js";

/** Headers on every response of the proxy: bodies carry credential URLs, so nothing may cache or sniff them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** Writes an error answer of the core as a Fetch `Response`. */
export const toResponse = ({ status, body, headers }: ErrorAnswer): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...SECURITY_HEADERS, ...headers },
  });

/** Builds a JSON error response in Firecrawl's `{ success: false, error, code }` shape. */
export const errorResponse = (
  status: number,
  code: InteractErrorCode,
  error: string,
  headers?: Record<string, string>,
): Response => toResponse(errorAnswer(status, code, error, undefined, headers));

/** The answer for a request no operation takes: 405 with `Allow` when other methods fit the path, 404 otherwise. */
export const noOperationResponse = (match: OperationMatch<OperationConstraint>, method: string): Response =>
  match.kind === "wrong-method"
    ? errorResponse(405, "method_not_allowed", `Method ${method} is not allowed here`, {
        allow: match.allow.join(", "),
      })
    : errorResponse(404, "not_found", "No interact operation at this path");

/** Runs a validator and returns its failure as a 400 response, or null when the value is valid. */
export function validationFailure(validate: () => void): Response | null {
  const error = validationError(validate);
  return error && toResponse(invalidRequestAnswer(error));
}
