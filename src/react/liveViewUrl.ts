/** Why a live-view URL was refused. */
export type LiveViewUrlRejection = "empty" | "invalid" | "protocol" | "host";

/** Outcome of {@link checkLiveViewUrl}: the URL and its origin when it may be framed, else why not. */
export type LiveViewUrlCheck =
  | { readonly ok: true; readonly url: string; readonly origin: string }
  | { readonly ok: false; readonly reason: LiveViewUrlRejection };

/** Hosts the local emulator serves from; plain `http:` is allowed only on these. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Decides whether a live-view URL may be put in an iframe's `src`: absolute `https:` URLs, or `http:` on
 * localhost/127.0.0.1/[::1] (the emulator). Everything else — `javascript:`, `data:`, `blob:`, relative URLs,
 * plain `http:` on other hosts — is refused, because these URLs come from a server response.
 */
export function checkLiveViewUrl(value: string | null | undefined): LiveViewUrlCheck {
  if (value === null || value === undefined || value.trim() === "") return { ok: false, reason: "empty" };
  let url: URL;
  try {
    // No base on purpose: a relative URL would inherit our own origin and defeat the sandbox.
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (url.protocol === "https:") return { ok: true, url: url.href, origin: url.origin };
  if (url.protocol !== "http:") return { ok: false, reason: "protocol" };
  if (!LOOPBACK_HOSTS.has(url.hostname)) return { ok: false, reason: "host" };
  return { ok: true, url: url.href, origin: url.origin };
}

/** True when {@link checkLiveViewUrl} accepts the URL. */
export const isSafeLiveViewUrl = (value: string | null | undefined): boolean => checkLiveViewUrl(value).ok;

/** The interactive variant of a read-only live-view URL: the same URL with `interactive=true` in its query. */
export function toInteractiveUrl(liveViewUrl: string): string {
  try {
    const url = new URL(liveViewUrl);
    url.searchParams.set("interactive", "true");
    return url.href;
  } catch {
    // Leave unparsable input as it is; checkLiveViewUrl refuses it later.
    return liveViewUrl;
  }
}
