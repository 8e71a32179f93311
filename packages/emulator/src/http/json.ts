import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import {
  type ErrorAnswer,
  errorAnswer,
  type InteractErrorCode,
  InteractValidationError,
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

/**
 * Writes an error answer straight to a socket that has no response object (a refused upgrade, a request Node could
 * not parse), then closes it.
 */
export function sendSocketError(socket: Duplex, { status, body, headers }: ErrorAnswer): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(text)}`,
    "Cache-Control: no-store",
    "Connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join("\r\n")}\r\n\r\n${text}`);
}

/**
 * Deepest nesting of arrays and objects a request body may have (the body itself is level 1). Firecrawl's bodies
 * are a few levels deep; the bound keeps every later walk of a body (validation, messages) off the call stack's edge.
 */
export const MAX_BODY_DEPTH = 64;

/** Throws a validation error when `value` nests deeper than {@link MAX_BODY_DEPTH}; walks with a stack, not recursion. */
export function assertBodyDepth(value: unknown): void {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      throw new InteractValidationError(
        "body",
        "maximum",
        `body nests deeper than ${MAX_BODY_DEPTH} levels`,
        MAX_BODY_DEPTH,
      );
    }
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
}

/**
 * Reads a request body as JSON with the core's reader (one size limit, one answer per failure) and bounds its depth;
 * empty → undefined.
 */
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
  validateOr400(() => assertBodyDepth(read.value));
  return read.value;
}
