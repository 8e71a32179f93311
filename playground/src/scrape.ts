import { InteractApiError, type InteractClient, type InteractError, type ScrapeDocument } from "firecrawl-interact";

/** A scrape's `data`, as the panel shows it. */
export type ScrapeData = ScrapeDocument;

/** A scrape that failed: the API's message and code (or `network_error`). */
export class ScrapeError extends Error {
  override readonly name = "ScrapeError";
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The formats the panel shows; the dev server's proxy allows just these. */
const FORMATS = ["markdown", "links"] as const;

/** Scrapes `url` through the proxy (which adds the key); resolves with `data`, throws a {@link ScrapeError}. */
export async function scrapePage(client: InteractClient, url: string, signal?: AbortSignal): Promise<ScrapeData> {
  try {
    return (await client.scrape({ url, formats: [...FORMATS] }, signal ? { signal } : {})).data;
  } catch (error) {
    if (signal?.aborted) throw error;
    const { message, code } = error as InteractError;
    throw new ScrapeError(message, code, error instanceof InteractApiError ? error.status : 0);
  }
}
