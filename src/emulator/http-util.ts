import type { IncomingMessage, ServerResponse } from "node:http";
import { InteractValidationError } from "../client/errors.js";

/** Largest request body the emulator accepts, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;
// Past this we stop draining and drop the connection instead of reading forever.
const HARD_BODY_LIMIT = 16 * MAX_BODY_BYTES;

/** Machine-readable error codes the emulator answers with. */
export type EmulatorErrorCode =
  | "unauthorized"
  | "invalid_request"
  | "unsupported_language"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "profile_busy"
  | "session_destroyed"
  | "too_many_sessions"
  | "browser_failed"
  | "injected_fault";

/** An error answer of the emulator: HTTP status, code, message, optional details and Retry-After seconds. */
export class EmulatorHttpError extends Error {
  override readonly name = "EmulatorHttpError";
  constructor(
    /** HTTP status to answer with. */
    readonly status: number,
    /** Machine-readable code placed in the body. */
    readonly code: EmulatorErrorCode | string,
    message: string,
    /** Extra structured information (for 400: field, rule, limit). */
    readonly details?: unknown,
    /** Seconds to put in `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Turns a validation failure of the shared client validator into the emulator's 400 answer. */
export function fromValidationError(error: InteractValidationError): EmulatorHttpError {
  return new EmulatorHttpError(400, "invalid_request", error.message, {
    field: error.field,
    rule: error.rule,
    limit: error.limit,
  });
}

/** Runs a validator and rethrows its {@link InteractValidationError} as a 400 {@link EmulatorHttpError}. */
export function validateOr400(validate: () => void): void {
  try {
    validate();
  } catch (error) {
    if (error instanceof InteractValidationError) throw fromValidationError(error);
    throw error;
  }
}

/** Writes a JSON body with the given status and extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
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

/** Writes the Firecrawl error shape `{ success: false, error, code, details? }` for an error. */
export function sendError(response: ServerResponse, error: EmulatorHttpError): void {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  if (error.status === 405 && typeof error.details === "object" && error.details !== null) {
    const allow = (error.details as { allow?: unknown }).allow;
    if (Array.isArray(allow)) headers.Allow = allow.join(", ");
  }
  const body: Record<string, unknown> = { success: false, error: error.message, code: error.code };
  if (error.details !== undefined) body.details = error.details;
  sendJson(response, error.status, body, headers);
}

/**
 * Reads a request body as JSON: empty → undefined; over {@link MAX_BODY_BYTES} or not JSON → 400.
 * The whole body is drained before answering so clients always get to read the error.
 */
export function readJsonBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > HARD_BODY_LIMIT) request.destroy();
    });
    request.on("error", reject);
    request.on("close", () => reject(new Error("request closed before its body was read")));
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) {
        reject(
          new EmulatorHttpError(400, "invalid_request", `body must be at most ${MAX_BODY_BYTES} bytes (got ${size})`, {
            field: "body",
            rule: "maxBytes",
            limit: MAX_BODY_BYTES,
          }),
        );
        return;
      }
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(
          new EmulatorHttpError(400, "invalid_request", "body must be valid JSON", {
            field: "body",
            rule: "json",
            limit: "application/json",
          }),
        );
      }
    });
  });
}
