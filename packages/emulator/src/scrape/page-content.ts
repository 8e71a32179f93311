import type { Page } from "playwright-core";
import type { AttributeSelector } from "./formats.js";
import type { ContentFilter } from "./request.js";

/** What the page script reads from a loaded HTML page. */
export interface PageContent {
  title: string;
  /** The cleaned HTML after the content filter: no head, scripts or styles; absolute URLs. */
  html: string;
  /** Every link of the page, absolute and deduplicated. */
  links: string[];
  /** Every image of the page (img, srcset, poster, og:image, icons), absolute and deduplicated. */
  images: string[];
  attributes: { selector: string; attribute: string; values: string[] }[];
  /** Selectors of the filter that the page could not parse (skipped, and named in the warning). */
  invalidSelectors: string[];
}

/**
 * Firecrawl's main-content cut: the boilerplate these selectors match is removed, unless it holds the main content
 * (`#main`).
 */
export const NON_MAIN_SELECTORS = [
  "header",
  "footer",
  "nav",
  "aside",
  ".header",
  ".top",
  ".navbar",
  "#header",
  ".footer",
  ".bottom",
  "#footer",
  ".sidebar",
  ".side",
  ".aside",
  "#sidebar",
  ".modal",
  ".popup",
  "#modal",
  ".overlay",
  ".ad",
  ".ads",
  ".advert",
  "#ad",
  ".lang-selector",
  ".language",
  "#language-selector",
  ".social",
  ".social-media",
  ".social-links",
  "#social",
  ".menu",
  ".navigation",
  "#nav",
  ".breadcrumbs",
  "#breadcrumbs",
  ".share",
  "#share",
  ".widget",
  "#widget",
  ".cookie",
  "#cookie",
];
const FORCE_INCLUDE_SELECTOR = "#main";

// Runs in the page (a source, not a function: a transpiler's helpers would not exist there). Reads the rendered DOM
// into a document without a browsing context, where rewritten src attributes load nothing.
const READ_PAGE = `(options) => {
  const invalid = [];
  const select = (root, selector) => {
    try {
      return [...root.querySelectorAll(selector)];
    } catch {
      if (!invalid.includes(selector)) invalid.push(selector);
      return [];
    }
  };
  const absolute = (value) => {
    try {
      return new URL(value, document.baseURI).href;
    } catch {
      return value;
    }
  };
  const clone = document.implementation.createHTMLDocument("").importNode(document.documentElement, true);
  for (const element of clone.querySelectorAll("head, script, style, noscript, meta, link, template")) element.remove();
  const body = clone.querySelector("body");
  if (body && options.includeTags.length > 0) {
    const kept = options.includeTags.flatMap((selector) => select(body, selector));
    const outermost = kept.filter((element, index) => !kept.some((other, at) => at !== index && other.contains(element) && other !== element));
    body.replaceChildren(...[...new Set(outermost)]);
  }
  for (const selector of options.excludeTags) for (const element of select(clone, selector)) element.remove();
  if (options.onlyMainContent) {
    for (const selector of options.nonMain) {
      for (const element of select(clone, selector)) {
        if (!element.querySelector(options.forceInclude)) element.remove();
      }
    }
  }
  for (const attribute of ["href", "src", "poster"]) {
    for (const element of clone.querySelectorAll("[" + attribute + "]")) {
      element.setAttribute(attribute, absolute(element.getAttribute(attribute) ?? ""));
    }
  }
  // A responsive image becomes its largest candidate, as Firecrawl's cleaned HTML (and so its markdown) has it.
  for (const element of clone.querySelectorAll("[srcset]")) {
    const candidates = (element.getAttribute("srcset") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean)
      .map((entry) => {
        const [url, descriptor = "1x"] = entry.split(/\\s+/);
        return { url: absolute(url), descriptor, size: Number.parseFloat(descriptor) || 1 };
      });
    element.setAttribute("srcset", candidates.map(({ url, descriptor }) => url + " " + descriptor).join(", "));
    const largest = candidates.reduce((best, candidate) => (best && best.size >= candidate.size ? best : candidate), undefined);
    if (element.tagName === "IMG" && largest) element.setAttribute("src", largest.url);
  }
  const links = [];
  for (const anchor of document.querySelectorAll("a[href]")) {
    const href = (anchor.getAttribute("href") ?? "").trim();
    if (href === "" || href.startsWith("#") || /^javascript:/i.test(href)) continue;
    links.push(/^mailto:/i.test(href) ? href : absolute(href));
  }
  const images = [];
  const addImage = (value) => {
    const url = (value ?? "").trim();
    if (url !== "" && !/^(data|blob):/i.test(url)) images.push(absolute(url));
  };
  for (const img of document.querySelectorAll("img[src]")) addImage(img.getAttribute("src"));
  for (const element of document.querySelectorAll("img[srcset], source[srcset]")) {
    for (const candidate of (element.getAttribute("srcset") ?? "").split(",")) addImage(candidate.trim().split(/\\s+/)[0]);
  }
  for (const video of document.querySelectorAll("video[poster]")) addImage(video.getAttribute("poster"));
  for (const meta of document.querySelectorAll('meta[property="og:image"], meta[name="twitter:image"]')) {
    addImage(meta.getAttribute("content"));
  }
  for (const icon of document.querySelectorAll('link[rel~="icon"], link[rel="apple-touch-icon"]')) {
    addImage(icon.getAttribute("href"));
  }
  const attributes = options.attributes.map(({ selector, attribute }) => ({
    selector,
    attribute,
    values: select(document, selector).map((element) => element.getAttribute(attribute)).filter((value) => value !== null),
  }));
  return {
    title: document.title,
    html: clone.outerHTML,
    links: [...new Set(links)],
    images: [...new Set(images)],
    attributes,
    invalidSelectors: invalid,
  };
}`;

/** Reads a loaded HTML page: its cleaned, filtered HTML and the lists the formats need. */
export function readPageContent(
  page: Page,
  filter: ContentFilter,
  attributes: readonly AttributeSelector[],
): Promise<PageContent> {
  const options = {
    includeTags: filter.includeTags,
    excludeTags: filter.excludeTags,
    onlyMainContent: filter.onlyMainContent,
    nonMain: NON_MAIN_SELECTORS,
    forceInclude: FORCE_INCLUDE_SELECTOR,
    attributes,
  };
  return page.evaluate<PageContent>(`(${READ_PAGE})(${JSON.stringify(options)})`);
}
