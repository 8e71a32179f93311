import { type FormEvent, type ReactNode, useState } from "react";
import { normalizeAddress, type PageState } from "./address.js";
import type { SessionBrowser } from "./use-session-browser.js";

/** Props of {@link AddressBar}. */
export interface AddressBarProps {
  browser: SessionBrowser;
  /** False without a live session: everything is disabled. */
  live: boolean;
}

// SVG icons, not glyphs: symbol fonts are missing on many systems (headless Chromium shows a box).
const ICONS: Record<"back" | "forward" | "reload", ReactNode> = {
  back: <path d="M10 3 5 8l5 5" />,
  forward: <path d="m6 3 5 5-5 5" />,
  reload: (
    <>
      <path d="M13 8a5 5 0 1 1-1.5-3.5" />
      <path d="M12 1.5V5H8.5" />
    </>
  ),
};

function IconButton(props: { label: string; icon: keyof typeof ICONS; disabled: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={props.label}
      title={props.label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
        {ICONS[props.icon]}
      </svg>
    </button>
  );
}

/** The page's title and URL (or why there are none yet), and what is being done right now. */
function PageLine({ page, live, pending }: { page: PageState | null; live: boolean; pending: string | null }) {
  return (
    <div className="page-line" aria-live="polite">
      {live && page ? (
        <>
          <span className="page-title" data-testid="page-title">
            {page.title || "Untitled"}
          </span>
          <span className="muted mono page-url" data-testid="page-url">
            {page.url}
          </span>
        </>
      ) : (
        <span className="muted">{live ? "Waiting for the page…" : "No page yet"}</span>
      )}
      {pending ? (
        <span className="pending" data-testid="address-pending">
          {pending}
        </span>
      ) : null}
    </div>
  );
}

/** Back, Forward, Reload and an address field for the session's page, with its title and URL kept current. */
export function AddressBar({ browser, live }: AddressBarProps) {
  // What the person is typing; `null` shows the page's URL (kept current by the browser's reports).
  const [draft, setDraft] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const { page, pending, error } = browser;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = normalizeAddress(draft ?? page?.url ?? "");
    if (!address.ok) {
      setInvalid(address.error);
      return;
    }
    setInvalid(null);
    setDraft(null);
    browser.navigate(address.url);
  };
  const shownError = invalid ?? error;

  return (
    <div className="address">
      <form className="address-bar" onSubmit={submit} aria-label="Navigate the session">
        <IconButton label="Back" icon="back" disabled={!live} onClick={browser.back} />
        <IconButton label="Forward" icon="forward" disabled={!live} onClick={browser.forward} />
        <IconButton label="Reload" icon="reload" disabled={!live} onClick={browser.reload} />
        <input
          type="text"
          name="address"
          aria-label="Address"
          autoComplete="off"
          spellCheck={false}
          disabled={!live}
          placeholder={live ? "Type an address and press Enter" : "Start a session to browse"}
          value={draft ?? page?.url ?? ""}
          onChange={(event) => {
            setDraft(event.target.value);
            setInvalid(null);
          }}
          onKeyDown={(event) => {
            if (event.key !== "Escape") return;
            setDraft(null);
            setInvalid(null);
          }}
          onBlur={() => {
            // An untouched field follows the page again.
            if (draft === page?.url) setDraft(null);
          }}
        />
      </form>
      <PageLine page={page} live={live} pending={pending} />
      {shownError ? (
        <p className="error" role="alert" data-testid="address-error">
          {shownError}
        </p>
      ) : null}
    </div>
  );
}
