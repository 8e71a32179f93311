import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EmulatorHttpError } from "../errors.js";
import { sendError } from "./json.js";
import { isStartPagePath, START_PAGE_PATH, serveStartPage, startPageCsp } from "./start-page.js";

describe("the emulator's start pages", () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://x").pathname;
      try {
        if (!isStartPagePath(path)) throw new EmulatorHttpError(404, "not_found", "Not found");
        serveStartPage(request, response, path);
      } catch (error) {
        sendError(response, (error as EmulatorHttpError).answer);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test.each([
    ["", "Emulator start page"],
    ["/", "Emulator start page"],
    ["/form", "Form · emulator"],
    ["/scroll", "Long page · emulator"],
  ])("%s is a self-contained page under a per-response nonce", async (suffix, title) => {
    const [first, second] = await Promise.all([1, 2].map(() => fetch(`${origin}${START_PAGE_PATH}${suffix}`)));
    if (!first || !second) throw new Error("no answer");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await first.text();
    expect(html).toContain(`<title>${title}</title>`);
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1] ?? "";
    expect(nonce).not.toBe("");
    expect(first.headers.get("content-security-policy")).toBe(startPageCsp(nonce));
    expect(second.headers.get("content-security-policy")).not.toBe(first.headers.get("content-security-policy"));
    // Nothing from anywhere else, no inline handler or style attribute the CSP would block.
    expect(html).not.toMatch(/https?:\/\/|\ssrc=|\son[a-z]+=|\sstyle=/);
    for (const [, attributes] of html.matchAll(/<(?:script|style)([^>]*)>/g))
      expect(attributes).toBe(` nonce="${nonce}"`);
    // Links stay below the start path.
    for (const [, href] of html.matchAll(/href="([^"]+)"/g)) expect(href?.startsWith(START_PAGE_PATH)).toBe(true);
  });

  test("the CSP allows only the nonce's code, same-origin form posts and data images", () => {
    expect(startPageCsp("n0nce")).toBe(
      "default-src 'none'; script-src 'nonce-n0nce'; style-src 'nonce-n0nce'; img-src data:; form-action 'self'; " +
        "base-uri 'none'; frame-ancestors 'none'",
    );
  });

  test("HEAD has no body, other methods are 405 and other paths 404", async () => {
    const head = await fetch(`${origin}${START_PAGE_PATH}`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
    const post = await fetch(`${origin}${START_PAGE_PATH}/form`, { method: "POST" });
    expect([post.status, post.headers.get("allow"), (await post.json()).code]).toEqual([
      405,
      "GET, HEAD",
      "method_not_allowed",
    ]);
    for (const path of [`${START_PAGE_PATH}/nope`, `${START_PAGE_PATH}/__proto__`, `${START_PAGE_PATH}x`]) {
      expect((await fetch(`${origin}${path}`)).status).toBe(404);
    }
    expect(isStartPagePath("/__emulator/starts")).toBe(false);
  });
});
