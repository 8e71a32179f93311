import { errorResponse } from "./respond.js";

/** Default cap on a request body: well above the spec's 100 000-character `code`, JSON-escaped. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** A parsed JSON body, or the error response to answer instead. */
export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly response: Response };

const tooLarge = (maxBytes: number) =>
  errorResponse(413, "payload_too_large", `Request body is larger than ${maxBytes} bytes`);

const isJsonMediaType = (contentType: string | null) =>
  contentType !== null && /^application\/json\s*(;|$)/i.test(contentType.trim());

/** Reads the body as text, stopping (and cancelling the stream) as soon as it passes `maxBytes`. */
async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a JSON request body: `application/json` only (cross-site forms can't send it without a CORS preflight, which
 * the proxy never grants), at most `maxBytes`, and parsed; an empty body reads as `undefined`.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<BodyResult> {
  // Checked before the body is read, and even for an empty body: a form post must never create a session.
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    return {
      ok: false,
      response: errorResponse(415, "unsupported_media_type", "Request body must be sent as application/json"),
    };
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, response: tooLarge(maxBytes) };
  const text = await readCapped(request, maxBytes);
  if (text === null) return { ok: false, response: tooLarge(maxBytes) };
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      response: errorResponse(400, "invalid_request", "Request body is not valid JSON", {
        details: { field: "body", rule: "type", limit: "object" },
      }),
    };
  }
}
