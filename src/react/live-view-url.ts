/** Why a live-view URL was refused. */
export type LiveViewUrlRejection = "empty" | "invalid" | "protocol" | "host";

/** Outcome of {@link checkLiveViewUrl}: the URL and its origin when it may be framed, else why not. */
export type LiveViewUrlCheck =
  | { readonly ok: true; readonly url: string; readonly origin: string }
  | { readonly ok: false; readonly reason: LiveViewUrlRejection };

/**
 * Decides whether a live-view URL may be put in an iframe's `src`: absolute `https:` URLs, or `http:` on
 * localhost/127.0.0.1/[::1] (the emulator). Everything else — `javascript:`, `data:`, `blob:`, relative URLs,
 * plain `http:` on other hosts — is refused, because these URLs come from a server response.
 */
export const checkLiveViewUrl = (value: string | null | undefined): LiveViewUrlCheck => {
  const text = value?.trim();
  let url: URL | undefined;
  try {
    // No base on purpose: a relative URL would inherit our own origin and defeat the sandbox.
    url = new URL(text as string);
  } catch {}
  const protocol = url?.protocol;
  const reason = !text
    ? "empty"
    : !url
      ? "invalid"
      : protocol === "https:" || (protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname))
        ? null
        : protocol === "http:"
          ? "host"
          : "protocol";
  return reason ? { ok: false, reason } : { ok: true, url: (url as URL).href, origin: (url as URL).origin };
};

/** True when {@link checkLiveViewUrl} accepts the URL. */
export const isSafeLiveViewUrl = (value: string | null | undefined): boolean => checkLiveViewUrl(value).ok;

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
