import type { Emulator } from "firecrawl-interact-emulator";
import { afterAll, beforeAll } from "vitest";
import {
  chromiumProcessCount,
  finishSuite,
  startSuiteEmulator,
  startTestSite,
} from "../packages/emulator/src/test-helpers/index.js";
import { defineConformanceSuite, promptOutput } from "../src/testing/conformance/suite.js";

// The conformance suite the fake passes (src/testing/conformance/fake.test.ts), here on the emulator and real
// Chromium: what the fake promises is what the emulator does.
const API_KEY = "fc-conformance-emulator";
const pages: Record<string, string> = {};
let emulator: Emulator | undefined;
let site: Awaited<ReturnType<typeof startTestSite>> | undefined;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  [emulator, site] = await Promise.all([
    startSuiteEmulator("conformance", {
      apiKey: API_KEY,
      maxSessions: 3,
      agent: async ({ prompt }) => ({ output: promptOutput(prompt) }),
    }),
    startTestSite(pages),
  ]);
});

afterAll(async () => {
  await site?.close();
  await finishSuite("conformance", emulator, processesBefore);
});

const started = () => {
  if (!emulator || !site) throw new Error("the emulator did not start");
  return { emulator, site };
};

defineConformanceSuite({
  name: "emulator",
  get baseUrl() {
    return started().emulator.url;
  },
  apiKey: API_KEY,
  fetch: (...args) => fetch(...args),
  maxSessions: 3,
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  page: async (path, title, heading) => {
    pages[path] = `<!doctype html><title>${title}</title><body><h1>${heading}</h1></body>`;
    return { url: `${started().site.origin}${path}`, title, heading };
  },
  injectFault: (fault) => started().emulator.injectFault(fault),
  exactErrors: true,
});
