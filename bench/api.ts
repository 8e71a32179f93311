/** The few interact API calls the bench makes against the emulator, timed, over plain fetch. */
import { attachFirstPage, CdpConnection, navigatePage } from "./cdp.js";
import { BENCH_API_KEY } from "./emulator-process.js";

/** URLs of a created session (credentials: never print them). */
export interface CreatedSession {
  readonly id: string;
  readonly cdpUrl: string;
  readonly liveViewUrl: string;
  readonly interactiveLiveViewUrl: string;
}

/** Outcome of one `POST /interact`: the status, the error code on failure, and the round trip. */
export type CreateOutcome =
  | { readonly ok: true; readonly ms: number; readonly session: CreatedSession }
  | {
      readonly ok: false;
      readonly ms: number;
      readonly status: number;
      readonly code: string;
      /** The Retry-After header, when the emulator sent one. */
      readonly retryAfter: string | null;
    };

const headers = { authorization: `Bearer ${BENCH_API_KEY}`, "content-type": "application/json" };

/** `POST /interact` with an empty body. */
export async function createSession(apiUrl: string): Promise<CreateOutcome> {
  const started = performance.now();
  const response = await fetch(`${apiUrl}/interact`, { method: "POST", headers, body: "{}" });
  const body = (await response.json()) as Partial<CreatedSession> & { code?: string };
  const ms = performance.now() - started;
  if (response.status === 200 && body.id && body.cdpUrl && body.liveViewUrl && body.interactiveLiveViewUrl) {
    const { id, cdpUrl, liveViewUrl, interactiveLiveViewUrl } = body;
    return { ok: true, ms, session: { id, cdpUrl, liveViewUrl, interactiveLiveViewUrl } };
  }
  return {
    ok: false,
    ms,
    status: response.status,
    code: body.code ?? "unknown",
    retryAfter: response.headers.get("retry-after"),
  };
}

/** `POST /interact`, throwing when it does not answer 200. */
export async function mustCreateSession(apiUrl: string): Promise<{ ms: number; session: CreatedSession }> {
  const outcome = await createSession(apiUrl);
  if (!outcome.ok) throw new Error(`POST /interact answered ${outcome.status} ${outcome.code}`);
  return outcome;
}

/** `DELETE /interact/{id}`; resolves with the HTTP status. */
export async function deleteSession(apiUrl: string, id: string): Promise<number> {
  const response = await fetch(`${apiUrl}/interact/${encodeURIComponent(id)}`, { method: "DELETE", headers });
  await response.arrayBuffer();
  return response.status;
}

/** Navigates the session's first tab to pageUrl over its CDP URL and waits for the load event. */
export async function navigate(cdpUrl: string, pageUrl: string, timeoutMs = 30_000): Promise<void> {
  const cdp = await CdpConnection.connect(cdpUrl);
  try {
    await navigatePage(cdp, await attachFirstPage(cdp), pageUrl, timeoutMs);
  } finally {
    cdp.close();
  }
}
