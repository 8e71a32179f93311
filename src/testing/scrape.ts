import type { CreateSessionRequest, ScrapeRequest, ScrapeResult } from "../core/types.js";
import { pageNotRegistered } from "./answers.js";

/** A page the fake's scrape answers for one URL; each format the request asks for comes from here. */
export interface FakePage {
  /** The page's markdown (`markdown`, the default format); `""` when not given. */
  readonly markdown?: string;
  /** Cleaned HTML (`html`); `""` when not given. */
  readonly html?: string;
  /** HTML as received (`rawHtml`); the `html` when not given. */
  readonly rawHtml?: string;
  /** The page's links (`links`); none when not given. */
  readonly links?: readonly string[];
  /** A screenshot URL (`screenshot`); a 1×1 PNG `data:` URL when not given. */
  readonly screenshot?: string;
  /** `metadata.title`, left out when not given (as Firecrawl does for a page without one). */
  readonly title?: string;
  /** `metadata.statusCode` (default 200). */
  readonly statusCode?: number;
  /** `metadata.url`, the URL after redirects (default: the scraped URL). */
  readonly url?: string;
  /** More metadata (`description`, `language`…), merged over the rest but never over `scrapeId`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A scrape the fake answered, whose browser `interact` opens. */
export interface FakeScrapeJob {
  readonly id: string;
  readonly url: string;
  /** The scrape's profile, which its interact session opens with (as on Firecrawl and the emulator). */
  readonly profile: CreateSessionRequest["profile"];
  readonly result: ScrapeResult;
  /** The session its first interact call opened (one in a job's lifetime). */
  sessionId: string | undefined;
}

const BLANK_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

type ScrapeData = ScrapeResult["data"];

/** The format names a request asks for (a name, or `{ type }`); `markdown` when it names none. */
const formatNames = (formats: ScrapeRequest["formats"]): Set<string> =>
  new Set((formats ?? ["markdown"]).map((format) => (typeof format === "string" ? format : format.type)));

/** The fields of `data` a page gives for the requested formats (the AI formats are Firecrawl's: left out). */
function formatFields(page: FakePage, formats: Set<string>): Partial<ScrapeData> {
  const fields: Partial<ScrapeData> = {};
  if (formats.has("markdown")) fields.markdown = page.markdown ?? "";
  if (formats.has("html")) fields.html = page.html ?? "";
  if (formats.has("rawHtml")) fields.rawHtml = page.rawHtml ?? page.html ?? "";
  if (formats.has("links")) fields.links = [...(page.links ?? [])];
  if (formats.has("screenshot")) fields.screenshot = page.screenshot ?? BLANK_PNG;
  return fields;
}

/** The pages the fake can scrape, by URL, and the scrapes it answered, by `scrapeId`. */
export class ScrapeBook {
  private readonly pages = new Map<string, FakePage>();
  private readonly jobs = new Map<string, FakeScrapeJob>();

  constructor(private readonly newId: () => string) {}

  /** Registers (or replaces) the page scraped at `url`. */
  addPage(url: string, page: FakePage): void {
    this.pages.set(new URL(url).href, page);
  }

  /** Answers a validated scrape from the registered page (502 for a URL with none) and remembers its job. */
  scrape(body: ScrapeRequest): ScrapeResult {
    const url = new URL(body.url).href;
    const page = this.pages.get(url);
    if (!page) throw pageNotRegistered(url);
    const id = this.newId();
    const metadata = {
      ...(page.title === undefined ? {} : { title: page.title }),
      sourceURL: url,
      url: page.url ?? url,
      statusCode: page.statusCode ?? 200,
      ...page.metadata,
      scrapeId: id,
    };
    const result: ScrapeResult = {
      success: true,
      data: { ...formatFields(page, formatNames(body.formats)), metadata },
    };
    this.jobs.set(id, {
      id,
      url,
      profile: body.profile as CreateSessionRequest["profile"],
      result,
      sessionId: undefined,
    });
    return result;
  }

  /** A scrape by its id. */
  job(id: string): FakeScrapeJob | undefined {
    return this.jobs.get(id);
  }
}
