import { createFakeFirecrawl } from "../fake-firecrawl.js";
import { defineConformanceSuite, promptOutput, SUITE_CODE } from "./suite.js";

const API_KEY = "fc-conformance-fake";
let clock = Date.parse("2030-01-01T00:00:00.000Z");

const fake = createFakeFirecrawl({
  apiKey: API_KEY,
  maxSessions: 3,
  now: () => clock,
  // What Node answers for the suite's code; the fake runs nothing itself.
  onExecute: { [SUITE_CODE.code]: { result: SUITE_CODE.result } },
  onPrompt: ({ prompt }) => promptOutput(prompt),
});

defineConformanceSuite({
  name: "fake",
  baseUrl: fake.baseUrl,
  apiKey: API_KEY,
  fetch: fake.fetch,
  maxSessions: 3,
  elapse: async (ms) => {
    clock += ms;
  },
  page: async (path, title, heading) => {
    const url = `https://shop.example${path}`;
    fake.addPage(url, { title, html: `<h1>${heading}</h1>`, markdown: `# ${heading}` });
    return { url, title, heading };
  },
  injectFault: (fault) => fake.injectFault(fault),
  exactErrors: true,
});
