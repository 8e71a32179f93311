import type { HttpHandler } from "msw";
import { http } from "msw";
import { describe, expectTypeOf, it } from "vitest";
import type { InteractClient } from "../client/client.js";
import type { InteractApiError } from "../core/errors.js";
import type { CreateSessionResponse, ExecuteResponse, InteractSession, ScrapeResult } from "../core/types.js";
import {
  createFakeFirecrawl,
  type ExecuteCall,
  type FakeSessionInfo,
  fakeApiError,
  fakeExecuteResult,
  fakeScrapeResult,
  fakeSession,
  fakeSessionEntry,
  type PromptCall,
} from "./index.js";

describe("firecrawl-interact/testing types", () => {
  it("gives a client, a fetch and msw handlers of the app's own msw", () => {
    const fake = createFakeFirecrawl();
    expectTypeOf(fake.client).toEqualTypeOf<InteractClient>();
    expectTypeOf(fake.fetch).toEqualTypeOf<typeof globalThis.fetch>();
    expectTypeOf(fake.handlers(http)).toEqualTypeOf<HttpHandler[]>();
    expectTypeOf(fake.sessions("active")).toEqualTypeOf<FakeSessionInfo[]>();
    // @ts-expect-error: the status filter is the spec's enum
    fake.sessions("paused");
  });

  it("types handlers from the spec: calls in, partial answers out", () => {
    createFakeFirecrawl({
      onExecute: (call) => {
        expectTypeOf(call).toEqualTypeOf<ExecuteCall>();
        expectTypeOf(call.language).toEqualTypeOf<"node" | "python" | "bash">();
        return { result: "x", exitCode: 1 };
      },
      onPrompt: (call) => {
        expectTypeOf(call).toEqualTypeOf<PromptCall>();
        return "output";
      },
    });
    createFakeFirecrawl({ onExecute: { "await page.title()": { stdout: "t" }, other: () => ({ result: null }) } });
    // @ts-expect-error: exitCode is a number
    createFakeFirecrawl({ onExecute: () => ({ exitCode: "1" }) });
    // @ts-expect-error: the URLs of a prompt answer are the fake's
    createFakeFirecrawl({ onPrompt: () => ({ liveViewUrl: "https://x" }) });
  });

  it("types factories from the generated schema, overrides checked", () => {
    expectTypeOf(fakeSession()).toEqualTypeOf<Required<CreateSessionResponse>>();
    expectTypeOf(fakeSessionEntry()).toEqualTypeOf<Required<InteractSession>>();
    expectTypeOf(fakeExecuteResult()).toEqualTypeOf<ExecuteResponse>();
    expectTypeOf(fakeScrapeResult()).toEqualTypeOf<ScrapeResult>();
    expectTypeOf(fakeApiError()).toEqualTypeOf<InteractApiError>();
    // @ts-expect-error: status is a session status
    fakeSessionEntry({ status: "paused" });
    // @ts-expect-error: metadata.statusCode is a number
    fakeScrapeResult({ data: { metadata: { statusCode: "200" } } });
  });
});
