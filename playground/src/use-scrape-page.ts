import { useInteractClient } from "firecrawl-interact/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { normalizeAddress } from "./address.js";
import { type ScrapeData, ScrapeError, scrapePage } from "./scrape.js";

/** Where the scrape of the panel is: nothing yet, under way, its data, or why it failed. */
export type ScrapeState =
  | { status: "idle" }
  | { status: "loading"; url: string }
  | { status: "done"; data: ScrapeData }
  | { status: "error"; error: ScrapeError };

/** What {@link useScrapePage} returns. */
export interface ScrapePage {
  /** The URL field's text: what the person typed, else the default. */
  url: string;
  setUrl: (url: string) => void;
  scrape: ScrapeState;
  /** The form's submit: scrapes the field's URL, aborting a scrape still under way. */
  submit: (event: FormEvent) => void;
}

/** The scrape of one page through the dev server: its URL field and its state; unmounting aborts it. */
export function useScrapePage(defaultUrl: string | undefined): ScrapePage {
  const client = useInteractClient();
  const [typed, setUrl] = useState<string | null>(null);
  const [scrape, setScrape] = useState<ScrapeState>({ status: "idle" });
  const aborter = useRef<AbortController | null>(null);
  useEffect(() => () => aborter.current?.abort(), []);

  const url = typed ?? defaultUrl ?? "";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = normalizeAddress(url);
    if (!address.ok) {
      setScrape({ status: "error", error: new ScrapeError(address.error, "invalid_url", 0) });
      return;
    }
    aborter.current?.abort();
    const controller = new AbortController();
    aborter.current = controller;
    setScrape({ status: "loading", url: address.url });
    scrapePage(client, address.url, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setScrape({ status: "done", data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof ScrapeError ? error : new ScrapeError(String(error), "network_error", 0);
        setScrape({ status: "error", error: failure });
      },
    );
  };
  return { url, setUrl, scrape, submit };
}
