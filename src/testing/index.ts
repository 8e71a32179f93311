// firecrawl-interact/testing: an in-memory Firecrawl for component and unit tests (jsdom or a browser, no Chromium),
// held to the emulator by one conformance suite. msw is an optional peer: the fake takes your msw's `http`.
export {
  type ApiErrorOverrides,
  FAKE_SCRAPE_ID,
  FAKE_SESSION_ID,
  fakeApiError,
  fakeExecuteResult,
  fakeInteractResult,
  fakeScrapeResult,
  fakeSession,
  fakeSessionEntry,
  type ScrapeResultOverrides,
} from "./factories.js";
export { createFakeFirecrawl, type FakeFirecrawl, type FakeFirecrawlOptions } from "./fake-firecrawl.js";
export type { FaultSpec } from "./faults.js";
export type { FakeLiveView } from "./live-view.js";
export type { MswHttp } from "./msw.js";
export type {
  ExecuteAnswer,
  ExecuteCall,
  ExecuteHandlers,
  FakeLanguage,
  PromptAnswer,
  PromptCall,
  PromptHandlers,
  RunHandler,
  RunHandlers,
} from "./runs.js";
export type { FakePage, FakeScrapeJob } from "./scrape.js";
export type { FakeRequest } from "./server.js";
export type { FakeEndReason, FakeSessionInfo } from "./sessions.js";
