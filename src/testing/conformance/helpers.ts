import { expect } from "vitest";
import { createInteractClient, type InteractClient } from "../../client/client.js";
import type { ConformanceBackend } from "./backend.js";

/** A parsed answer of a backend. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** Sends a request as it is, with the backend's key (the client would refuse a bad one before sending). */
export async function call(
  backend: ConformanceBackend,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; key?: string } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.key ?? backend.apiKey}` };
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await backend.fetch(`${backend.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** The backend's client: the package's own, on the backend's fetch. */
export const clientOf = (backend: ConformanceBackend): InteractClient =>
  createInteractClient({ baseUrl: backend.baseUrl, apiKey: backend.apiKey, fetch: backend.fetch });

/** An error body as the emulator words it: `{ success: false, code, error, details? }`. */
export interface ExpectedError {
  readonly code: string;
  readonly error: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Asserts an error answer: its status and, on the fake and the emulator, the whole body word for word; on Firecrawl
 * (`exactErrors: false`) the status, `success: false` and the code, since its server words its own messages.
 */
export function expectError(backend: ConformanceBackend, answer: RawAnswer, status: number, expected: ExpectedError) {
  expect(answer.status).toBe(status);
  if (backend.exactErrors) {
    expect(answer.body).toEqual({ success: false, ...expected });
  } else {
    expect(answer.body).toMatchObject({ success: false, code: expected.code });
  }
}

/** Deletes sessions a case made (those already gone answer 410 and are fine). */
export async function deleteAll(backend: ConformanceBackend, ids: readonly (string | undefined)[]): Promise<void> {
  await Promise.all(ids.map((id) => (id ? call(backend, "DELETE", `/interact/${id}`) : undefined)));
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
