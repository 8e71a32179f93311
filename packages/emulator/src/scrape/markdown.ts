import TurndownService from "turndown";

// ATX headings, fenced code and "-" bullets: the markdown style Firecrawl's own converter writes.
const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });

/** Converts (cleaned) HTML to Markdown with turndown, which parses it with its bundled DOM in Node. */
export const htmlToMarkdown = (html: string): string => turndown.turndown(html);

/** Firecrawl's placeholder for an image whose URL was a base64 `data:` URL (`removeBase64Images`, on by default). */
export const BASE64_IMAGE_PLACEHOLDER = "<Base64-Image-Removed>";

/** Replaces the `data:` URLs of Markdown images by Firecrawl's placeholder; the alt text stays. */
export const removeBase64Images = (markdown: string): string =>
  markdown.replace(/(!\[[^\]]*\]\()data:image\/[^)]*\)/g, `$1${BASE64_IMAGE_PLACEHOLDER})`);

/** How a response body is read: a page Chromium renders, JSON, other text, or a binary file. */
export type BodyKind = "html" | "json" | "text" | "binary";

/** The kind of a main response by its Content-Type (none: Chromium sniffs it as a page). */
export function bodyKind(contentType: string | undefined): BodyKind {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "" || type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type.startsWith("text/") || type === "application/xml" || type.endsWith("+xml") || type.includes("javascript")) {
    return "text";
  }
  return "binary";
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The outputs of a JSON or text body, as Firecrawl gives them: its body as rawHtml, fenced JSON or plain text. */
export function textBodyContent(kind: "json" | "text", body: string): { markdown: string; html: string } {
  return {
    markdown: kind === "json" ? `\`\`\`json\n${body}\n\`\`\`` : body,
    html: `<html><body><pre>${escapeHtml(body)}</pre></body></html>`,
  };
}
