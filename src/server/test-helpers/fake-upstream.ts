import { countingFetch, type FakeAnswer, type RecordedRequest } from "../../client/test-helpers.js";

/** One upstream call seen by {@link fakeUpstream}. */
export type UpstreamCallRecord = RecordedRequest;

/** What the fake upstream answers: JSON (200 unless given), raw text, or a thrown network error. */
export type FakeUpstreamAnswer = Exclude<FakeAnswer, Response> | { networkError: Error };

/** The fake Firecrawl key every server test uses; tests assert it never comes back. */
export const FAKE_KEY = "fc-server-test-key-5f1e0c";

/** The client's counting fetch double standing in for Firecrawl, with network errors as answers. */
export function fakeUpstream(
  answer: (call: UpstreamCallRecord) => FakeUpstreamAnswer = () => ({ json: { success: true } }),
) {
  return countingFetch((call) => {
    const result = answer(call);
    if ("networkError" in result) throw result.networkError;
    return result;
  });
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
