/** Why a live-view URL was refused. */
export type LiveViewUrlRejection = "empty" | "invalid" | "protocol" | "host";

/** Outcome of {@link checkLiveViewUrl}: the URL and its origin when it may be framed, else why not. */
export type LiveViewUrlCheck =
  | { readonly ok: true; readonly url: string; readonly origin: string }
  | { readonly ok: false; readonly reason: LiveViewUrlRejection };

/** Parses an absolute URL; no base on purpose: a relative URL would inherit our own origin and defeat the sandbox. */
const parseUrl = (text: string | undefined): URL | undefined => {
  try {
    return new URL(text as string);
  } catch {}
};

/**
 * The live-view URL, parsed, when it may be put in an iframe's `src`: absolute `https:` URLs, or `http:` on
 * localhost/127.0.0.1/[::1] (the emulator). Everything else — `javascript:`, `data:`, `blob:`, relative URLs,
 * plain `http:` on other hosts — is refused (`undefined`), because these URLs come from a server response.
 */
export const frameableUrl = (value: string | null | undefined): URL | undefined => {
  const url = parseUrl(value?.trim());
  if (
    url?.protocol === "https:" ||
    (url?.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname))
  ) {
    return url;
  }
};

/** Decides like {@link frameableUrl} whether a live-view URL may be framed, and says why not when it may not. */
export const checkLiveViewUrl = (value: string | null | undefined): LiveViewUrlCheck => {
  const url = frameableUrl(value);
  if (url) return { ok: true, url: url.href, origin: url.origin };
  const text = value?.trim();
  const parsed = parseUrl(text);
  let reason: LiveViewUrlRejection = "protocol";
  if (!text) reason = "empty";
  else if (!parsed) reason = "invalid";
  else if (parsed.protocol === "http:") reason = "host";
  return { ok: false, reason };
};

/** True when {@link checkLiveViewUrl} accepts the URL. */
export const isSafeLiveViewUrl = (value: string | null | undefined): boolean => frameableUrl(value) !== undefined;

/** The interactive variant of a read-only live-view URL: the same URL with `interactive=true` in its query. */
export const toInteractiveUrl = (liveViewUrl: string): string => {
  try {
    const url = new URL(liveViewUrl);
    url.searchParams.set("interactive", "true");
    return url.href;
  } catch {
    // Leave unparsable input as it is; checkLiveViewUrl refuses it later.
    return liveViewUrl;
  }
};
