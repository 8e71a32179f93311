/** One upstream call seen by {@link fakeUpstream}. */
export interface UpstreamCallRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
}

/** What the fake upstream answers: JSON (200 unless given), raw text, or a thrown network error. */
export type FakeUpstreamAnswer =
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { networkError: Error };

/** The fake Firecrawl key every server test uses; tests assert it never comes back. */
export const FAKE_KEY = "fc-server-test-key-5f1e0c";

/** A counting fetch double standing in for Firecrawl: records each call, answers from a function of it. */
export function fakeUpstream(
  answer: (call: UpstreamCallRecord) => FakeUpstreamAnswer = () => ({ json: { success: true } }),
) {
  const calls: UpstreamCallRecord[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const text = await request.text();
    const call: UpstreamCallRecord = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: text === "" ? undefined : (JSON.parse(text) as unknown),
      signal: init?.signal ?? request.signal,
    };
    calls.push(call);
    const result = answer(call);
    if ("networkError" in result) throw result.networkError;
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

/** Builds a browser-side request to the proxy (JSON body when given). */
export function proxyRequest(
  path: string,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const url = /^[a-z]+:/i.test(path) ? path : `http://app.test${path}`;
  return new Request(url, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body: body ?? null,
  });
}
