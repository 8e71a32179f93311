import { describe, expect, it } from "vitest";
import { type ConformanceBackend, promptOutput, SUITE_CODE } from "./backend.js";
import { call, expectError, UUID } from "./helpers.js";

const MISSING_JOB = "00000000-0000-4000-8000-000000000000";

/** Scrape a page, act on the browser it left (code, then a prompt on the same browser), stop it; the errors around. */
export function scrapeCases(backend: ConformanceBackend): void {
  describe("scrape → interact → stop", () => {
    it("scrapes a page into markdown with its metadata and a scrapeId", async () => {
      const { url, title, heading } = await backend.page("/pricing", "Pricing", "Plans");
      const answer = await call(backend, "POST", "/scrape", { body: { url, formats: ["markdown"] } });
      expect(answer.status).toBe(200);
      const data = answer.body.data as { markdown: string; metadata: Record<string, unknown> };
      expect(data.markdown).toContain(`# ${heading}`);
      expect(data.metadata).toMatchObject({ title, sourceURL: url, url, statusCode: 200 });
      expect(data.metadata.scrapeId).toMatch(UUID);
    });

    it("runs code, then a prompt, on one browser with live-view URLs; stop ends it (404 after, 410 to interact)", async () => {
      const { url } = await backend.page("/cart", "Cart", "Your cart");
      const scraped = await call(backend, "POST", "/scrape", { body: { url } });
      const { scrapeId } = (scraped.body.data as { metadata: { scrapeId: string } }).metadata;
      const path = `/scrape/${scrapeId}/interact`;
      const first = await call(backend, "POST", path, { body: { code: SUITE_CODE.code } });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ success: true, output: null, result: SUITE_CODE.result, exitCode: 0 });
      expect(new URL(first.body.liveViewUrl as string).pathname).not.toBe("");
      expect(new URL(first.body.cdpUrl as string).protocol).toMatch(/^wss?:$/);
      const prompt = "Empty the cart";
      const second = await call(backend, "POST", path, { body: { prompt } });
      expect(second.status).toBe(200);
      // The same browser: the first call opened it, later calls reuse it.
      expect(second.body.liveViewUrl).toBe(first.body.liveViewUrl);
      if (backend.name === "firecrawl") expect(typeof second.body.output).toBe("string");
      else expect(second.body).toMatchObject({ success: true, output: promptOutput(prompt), exitCode: 0 });
      expect(await call(backend, "DELETE", path)).toMatchObject({ status: 200, body: { success: true } });
      const stopped = { code: "not_found", error: "Browser session not found." };
      expectError(backend, await call(backend, "DELETE", path), 404, stopped);
      const again = await call(backend, "POST", path, { body: { code: SUITE_CODE.code } });
      const destroyed = {
        code: "session_destroyed",
        error: "Browser session has been destroyed.",
        details: { reason: "deleted" },
      };
      expectError(backend, again, 410, destroyed);
    });

    it("answers 404 Job not found. for a scrapeId nobody scraped", async () => {
      const missing = { code: "not_found", error: "Job not found." };
      const path = `/scrape/${MISSING_JOB}/interact`;
      expectError(backend, await call(backend, "POST", path, { body: { code: SUITE_CODE.code } }), 404, missing);
      expectError(backend, await call(backend, "DELETE", path), 404, missing);
    });
  });
}
