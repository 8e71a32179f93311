import { type ErrorAnswer, errorAnswer } from "./error-body.js";

/** Largest request body read, in bytes: Firecrawl's server limit (10 MB). Larger → 413 `payload_too_large`. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A parsed JSON body (`undefined` when empty), or the error answer to send instead. */
export type JsonBodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: ErrorAnswer };

/** What {@link readJsonBody} needs of a request: a Fetch `Request` fits. */
export interface JsonBodySource {
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions {
  /** Largest body in bytes (default {@link MAX_BODY_BYTES}). */
  readonly maxBytes?: number;
  /** Refuse any content type but `application/json` with a 415, even for an empty body. */
  readonly requireJson?: boolean;
}

const tooLarge = (maxBytes: number): JsonBodyResult => ({
  ok: false,
  error: errorAnswer(413, "payload_too_large", `Request body is larger than ${maxBytes} bytes`),
});

/** Reads the body as text, stopping (and cancelling the stream) as soon as it passes `maxBytes`. */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string | null> {
  if (!body) return "";
  const reader = body.getReader();
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

/** Reads and parses a JSON request body with one size limit and one answer for each way it can be wrong. */
export async function readJsonBody(source: JsonBodySource, options: ReadJsonBodyOptions = {}): Promise<JsonBodyResult> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const contentType = source.headers.get("content-type");
  if (options.requireJson && !(contentType !== null && /^application\/json\s*(;|$)/i.test(contentType.trim()))) {
    return {
      ok: false,
      error: errorAnswer(415, "unsupported_media_type", "Request body must be sent as application/json"),
    };
  }
  const declared = Number(source.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
  const text = await readCapped(source.body, maxBytes);
  if (text === null) return tooLarge(maxBytes);
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      error: errorAnswer(400, "invalid_request", "Request body is not valid JSON", {
        field: "body",
        rule: "type",
        limit: "object",
      }),
    };
  }
}

/** The parts of a Node `IncomingMessage` that {@link nodeBodyStream} uses. */
export interface NodeBodyReadable {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  once(event: "end", listener: () => void): unknown;
  once(event: "error", listener: (error: unknown) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * A Node request body as a web stream, with backpressure. Cancelling it drains the rest instead of destroying the
 * socket, so a 413 can still be written on the same connection.
 */
export function nodeBodyStream(request: NodeBodyReadable): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      request.on("data", (chunk) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      });
      request.once("end", () => {
        if (open) controller.close();
      });
      request.once("error", (error) => {
        if (open) controller.error(error);
      });
    },
    pull() {
      request.resume();
    },
    cancel() {
      open = false;
      request.resume();
    },
  });
}
