import type { ExecuteResponse } from "firecrawl-interact";

/** Where the session's page is, as the browser reports it. */
export interface PageState {
  url: string;
  title: string;
  /** Why the last navigation failed (net::ERR_…, a timeout), else `null`. */
  error: string | null;
}

/** What {@link normalizeAddress} gives: a URL to open, or the sentence to show instead (nothing is sent). */
export type AddressResult = { ok: true; url: string } | { ok: false; error: string };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Turns what a person typed into a URL to navigate to: no scheme means `https://` (`http://` for localhost and
 * 127.0.0.1, which rarely speak TLS); any scheme but http and https is refused.
 */
export function normalizeAddress(typed: string): AddressResult {
  const text = typed.trim();
  if (text === "") return { ok: false, error: "Type an address to open, e.g. example.com" };
  // "localhost:3000" is a host and a port, "mailto:x" a scheme: a scheme is not followed by a port number.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)/.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
    return { ok: false, error: `Only http and https addresses can be opened here (not ${scheme}:)` };
  }
  let candidate = text;
  if (scheme === undefined) {
    const rest = text.replace(/^\/\//, "");
    const host = (/^[^/?#]*/.exec(rest)?.[0] ?? "").replace(/:\d+$/, "").toLowerCase();
    candidate = `${LOCAL_HOSTS.has(host) ? "http" : "https"}://${rest}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, error: `Not a valid address: ${text}` };
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    return { ok: false, error: `Not a valid address: ${text}` };
  }
  return { ok: true, url: url.href };
}

// Every snippet is one async function called as the code's last expression: its value (the page state as JSON) is the
// execute's `result` where `result` is the last expression (Firecrawl), and it is printed as well for servers whose
// `result` is what the code printed. Nothing is declared at the top level, so a runtime that keeps its scope between
// calls never sees a name declared twice.
const STEP_TIMEOUT_MS = 30_000;

function snippet(action: string): string {
  return `await (async () => {
  let error = null;
  try {
    ${action}
  } catch (caught) {
    error = String((caught && caught.message) || caught).split("\\n")[0];
  }
  let title = "";
  try { title = await page.title(); } catch {}
  const state = JSON.stringify({ url: page.url(), title, error });
  console.log(state);
  return state;
})();`;
}

const WAIT = `{ waitUntil: "domcontentloaded", timeout: ${STEP_TIMEOUT_MS} }`;

/** Code that opens `url` (already normalized) and reports the page state. */
export const gotoCode = (url: string) => snippet(`await page.goto(${JSON.stringify(url)}, ${WAIT});`);
/** Code for the Back button. */
export const backCode = () => snippet(`await page.goBack(${WAIT});`);
/** Code for the Forward button. */
export const forwardCode = () => snippet(`await page.goForward(${WAIT});`);
/** Code for the Reload button. */
export const reloadCode = () => snippet(`await page.reload(${WAIT});`);
/** Code that only reports the page state (the poll). */
export const stateCode = () => snippet("");

/** Seconds an address-bar execute may take: a navigation's timeout plus the runtime's own start. */
export const NAVIGATION_EXECUTE_TIMEOUT_S = STEP_TIMEOUT_MS / 1000 + 15;

function parseState(text: unknown): PageState | null {
  if (typeof text !== "string" || text.trim() === "") return null;
  try {
    let value: unknown = JSON.parse(text.trim());
    // A runtime that serializes a string result as JSON gives it quoted once more.
    if (typeof value === "string") value = JSON.parse(value);
    const record = value as Record<string, unknown> | null;
    if (typeof record !== "object" || record === null || typeof record.url !== "string") return null;
    return {
      url: record.url,
      title: typeof record.title === "string" ? record.title : "",
      error: typeof record.error === "string" ? record.error : null,
    };
  } catch {
    return null;
  }
}

/** Reads the page state from an execute's answer: its `result` first, else the last JSON line it printed. */
export function readPageState(response: Pick<ExecuteResponse, "result" | "stdout">): PageState | null {
  const printed = (response.stdout ?? "").split("\n").reverse();
  for (const candidate of [response.result, ...printed]) {
    const state = parseState(candidate);
    if (state) return state;
  }
  return null;
}
