import { keyRedactor, redactParsed } from "../core/redact.js";
import { errorResponse, SECURITY_HEADERS } from "./respond.js";

/** Request headers of the browser that reach Firecrawl; everything else (Authorization, Cookie, …) is dropped. */
export const FORWARDED_REQUEST_HEADERS: readonly string[] = ["accept-language", "user-agent", "x-request-id"];

/** Response headers of Firecrawl that reach the browser; everything else (Set-Cookie, …) is dropped. */
export const FORWARDED_RESPONSE_HEADERS: readonly string[] = [
  "content-type",
  "retry-after",
  "x-request-id",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
];

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** One call to the real API, already validated and limited. */
export interface UpstreamCall {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly incoming: Headers;
  readonly signal: AbortSignal;
  /** Rewrites a successful JSON object answer for the browser; null makes it a 502. */
  readonly rewrite?: (answer: Record<string, unknown>) => Promise<Record<string, unknown> | null>;
}

/** Where and how to call the real API. */
export interface Upstream {
  readonly apiKey: string;
  readonly fetch: typeof globalThis.fetch;
}

function upstreamHeaders(call: UpstreamCall, apiKey: string): Headers {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = call.incoming.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set("accept", "application/json");
  headers.set("authorization", `Bearer ${apiKey}`);
  if (call.body !== undefined) headers.set("content-type", "application/json");
  return headers;
}

/** What {@link parseJson} answers for a text that is not JSON. */
const NOT_JSON: unique symbol = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** Sends the call with the server's key and mirrors the answer: status, JSON body and allow-listed headers. */
export async function forwardToUpstream(upstream: Upstream, call: UpstreamCall): Promise<Response> {
  let answer: Response;
  let text: string;
  try {
    answer = await upstream.fetch(call.url, {
      method: call.method,
      headers: upstreamHeaders(call, upstream.apiKey),
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal,
      redirect: "manual",
    });
    text = await answer.text();
  } catch {
    // The cause may name hosts or carry headers; the browser only learns that the API could not be reached.
    return errorResponse(502, "upstream_unreachable", "Could not reach the interact API");
  }
  // Even an upstream that echoes the key can't leak it to the browser.
  const redact = keyRedactor(upstream.apiKey);
  const headers = new Headers(SECURITY_HEADERS);
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) headers.set(name, redact(value));
  }
  if (NULL_BODY_STATUSES.has(answer.status)) return new Response(null, { status: answer.status, headers });
  const isError = answer.status >= 400;
  const json = parseJson(text);
  if (!isError && (answer.status >= 300 || json === NOT_JSON)) {
    // A redirect or a non-JSON success is not the API we front: never relay it from our origin.
    return errorResponse(502, "invalid_upstream_response", `The interact API answered ${answer.status} without JSON`);
  }
  if (isError && text !== "" && json === NOT_JSON) {
    // An HTML error page keeps its status (and Retry-After) but not its markup.
    const retryAfter = headers.get("retry-after");
    return errorResponse(
      answer.status,
      "invalid_upstream_response",
      `The interact API answered ${answer.status} without JSON`,
      retryAfter === null ? {} : { "retry-after": retryAfter },
    );
  }
  if (text === "") {
    headers.delete("content-type");
    return new Response(null, { status: answer.status, headers });
  }
  const body = await forBrowser(json, redact, isError ? undefined : call.rewrite);
  if (body === null) {
    return errorResponse(502, "invalid_upstream_response", "The interact API answered what the proxy can't pass on");
  }
  return new Response(body, { status: answer.status, headers });
}

/** The JSON answer as the browser gets it: the key redacted however it is escaped, then rewritten; null if it can't be. */
async function forBrowser(json: unknown, redact: (text: string) => string, rewrite: UpstreamCall["rewrite"]) {
  try {
    const redacted = redactParsed(json, redact);
    if (!rewrite) return JSON.stringify(redacted);
    if (typeof redacted !== "object" || redacted === null || Array.isArray(redacted)) return null;
    const rewritten = await rewrite(redacted as Record<string, unknown>);
    return rewritten && JSON.stringify(rewritten);
  } catch (error) {
    // Nesting past the bound is no answer of the API we front; anything else is a bug to surface.
    if (error instanceof RangeError) return null;
    throw error;
  }
}
