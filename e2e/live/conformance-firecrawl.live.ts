import { DEFAULT_BASE_URL } from "firecrawl-interact/core";
import { defineConformanceSuite } from "../../src/testing/conformance/suite.js";

// The conformance suite on real Firecrawl: `npm run test:live` with FIRECRAWL_API_KEY set (it spends credits, so it
// is never part of `npm test`). Firecrawl's limits depend on the plan, so the 429 case is left out; it has no fault
// injection; its error texts are its own (status and code are held); pages to scrape are public ones.
const apiKey = process.env.FIRECRAWL_API_KEY;
if (!apiKey) throw new Error("FIRECRAWL_API_KEY is not set: run this suite with `npm run test:live`");

// example.com's page: its title and its one heading.
const PUBLIC_PAGE = { url: "https://example.com/", title: "Example Domain", heading: "Example Domain" };

defineConformanceSuite({
  name: "firecrawl",
  baseUrl: process.env.FIRECRAWL_API_URL ?? DEFAULT_BASE_URL,
  apiKey,
  fetch: (...args) => fetch(...args),
  maxSessions: undefined,
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  // Firecrawl scrapes the public web: a known page stands in for each of the suite's.
  page: async () => PUBLIC_PAGE,
  exactErrors: false,
});
