import { SCRAPE_PATH } from "./paths.js";

/** The parts of a scrape's `data` the playground shows. */
export interface ScrapeData {
  markdown?: string;
  html?: string;
  links?: string[];
  metadata?: {
    scrapeId?: string;
    sourceURL?: string;
    url?: string;
    statusCode?: number;
    title?: string;
  };
}

/** The JSON of a scrape answer, success or error. */
interface ScrapeAnswer {
  success?: boolean;
  data?: ScrapeData;
  error?: string;
  code?: string;
}

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

/** Scrapes `url` through the dev server (which adds the key); resolves with `data`, throws a {@link ScrapeError}. */
export async function scrapePage(url: string, signal?: AbortSignal): Promise<ScrapeData> {
  let response: Response;
  try {
    response = await fetch(SCRAPE_PATH, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ScrapeError("The dev server could not be reached", "network_error", 0);
  }
  const text = await response.text();
  let body: ScrapeAnswer | null = null;
  try {
    body = JSON.parse(text) as ScrapeAnswer | null;
  } catch {
    // Reported below.
  }
  if (!response.ok || body?.success === false || !body?.data) {
    const message = body?.error ?? (text.trim().slice(0, 200) || `HTTP ${response.status}`);
    throw new ScrapeError(message, body?.code ?? `http_${response.status}`, response.status);
  }
  return body.data;
}
