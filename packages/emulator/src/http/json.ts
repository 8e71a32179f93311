import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type ErrorAnswer,
  errorAnswer,
  type InteractErrorCode,
  invalidRequestAnswer,
  nodeBodyStream,
  readJsonBody,
  validationError,
} from "firecrawl-interact/core";
import { EmulatorHttpError } from "../errors.js";

/**
 * Runs a validator and rethrows its validation error as a 400 {@link EmulatorHttpError} with Firecrawl's code,
 * `BAD_REQUEST`, and our `details` ({ field, rule, limit }). (The proxy keeps its own `invalid_request`.)
 */
export function validateOr400(validate: () => void): void {
  const error = validationError(validate);
  if (error) throw EmulatorHttpError.from(asServerCode(invalidRequestAnswer(error), "BAD_REQUEST"));
}

// The same answer with the code Firecrawl's server uses for it.
const asServerCode = ({ status, body, headers }: ErrorAnswer, code: InteractErrorCode): ErrorAnswer =>
  errorAnswer(status, code, body.error, body.details, headers);

/** Writes a JSON body with the given status and extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(text);
}

/** Writes an error answer in Firecrawl's `{ success: false, error, code, details? }` shape. */
export const sendError = (response: ServerResponse, { status, body, headers }: ErrorAnswer): void =>
  sendJson(response, status, body, headers);

/** Reads a request body as JSON with the core's reader (one size limit, one answer per failure); empty → undefined. */
export async function readBody(request: IncomingMessage): Promise<unknown> {
  const read = await readJsonBody({
    headers: { get: (name) => request.headers[name.toLowerCase()]?.toString() ?? null },
    body: nodeBodyStream(request),
  });
  if (!read.ok) {
    // A body that is not JSON: Firecrawl's server says BAD_REQUEST_INVALID_JSON (413 and 415 keep their codes).
    const { error } = read;
    throw EmulatorHttpError.from(error.status === 400 ? asServerCode(error, "BAD_REQUEST_INVALID_JSON") : error);
  }
  return read.value;
}
