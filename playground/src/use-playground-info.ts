import { useEffect, useState } from "react";
import { INFO_PATH } from "./paths.js";

/** What the dev server says about itself (never the key): which API the proxy talks to. */
export interface PlaygroundInfo {
  mode: "emulator" | "firecrawl";
  label: string;
  /** Page a new session opens on (the emulator's offline start page, or a public one on Firecrawl). */
  startUrl?: string;
}

/** Fetches {@link PlaygroundInfo} once; `null` until it arrives (or when the page is served without the dev server). */
export function usePlaygroundInfo(): PlaygroundInfo | null {
  const [info, setInfo] = useState<PlaygroundInfo | null>(null);
  useEffect(() => {
    const aborter = new AbortController();
    fetch(INFO_PATH, { signal: aborter.signal })
      .then((response) => (response.ok ? (response.json() as Promise<PlaygroundInfo>) : null))
      .then(setInfo)
      .catch(() => {
        // Aborted on unmount, or no dev server: the banner just stays generic.
      });
    return () => aborter.abort();
  }, []);
  return info;
}
