/** A recorded request of {@link countingFetch}. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  keepalive: boolean;
  /** The request's signal: aborts when the caller gives up. */
  signal: AbortSignal;
}

/** What the fake answers: a JSON value (status 200 unless given) or a full Response. */
export type FakeAnswer =
  | Response
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> };

/** A fetch double that records every request and answers from a function of the request. */
export function countingFetch(answer: (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer> = () => ({})) {
  const calls: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await request.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {}
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body,
      keepalive: request.keepalive,
      signal: request.signal,
    };
    calls.push(recorded);
    // Like a real fetch, give up as soon as the request's signal aborts.
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(request.signal.reason);
      if (request.signal.aborted) fail();
      request.signal.addEventListener("abort", fail, { once: true });
    });
    const result = await Promise.race([answer(recorded), aborted]);
    if (result instanceof Response) return result;
    const headers = new Headers(result.headers);
    let payload = result.text;
    if (payload === undefined && result.json !== undefined) {
      payload = JSON.stringify(result.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    return new Response(payload ?? null, { status: result.status ?? 200, headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
