import { describe, expectTypeOf, it } from "vitest";
import type * as root from "../client/index.js";
import type {
  CreatedSession,
  CreateSessionResponse,
  DeleteSessionResponse,
  DeleteSessionResult,
  ExecuteResponse,
  ExecuteResult,
  InteractSession,
  ListSessionsQuery,
  ListSessionsResponse,
  ScrapeDocument,
  ScrapeFormatName,
  ScrapeInteractResponse,
  ScrapeInteractResult,
  ScrapeRequest,
  ScrapeResult,
  ScrapeStatusResult,
  SessionList,
  SessionStatus,
  StopInteractionResponse,
  StopInteractionResult,
  SuccessBody,
} from "./index.js";

/** The keys of T that T requires. */
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

describe("named bodies and answers", () => {
  it("keep their older names as aliases and are the spec's 200 bodies", () => {
    expectTypeOf<CreateSessionResponse>().toEqualTypeOf<CreatedSession>();
    expectTypeOf<ListSessionsResponse>().toEqualTypeOf<SessionList>();
    expectTypeOf<ExecuteResponse>().toEqualTypeOf<ExecuteResult>();
    expectTypeOf<DeleteSessionResponse>().toEqualTypeOf<DeleteSessionResult>();
    expectTypeOf<ScrapeInteractResponse>().toEqualTypeOf<ScrapeInteractResult>();
    expectTypeOf<StopInteractionResponse>().toEqualTypeOf<StopInteractionResult>();
    expectTypeOf<CreatedSession>().toEqualTypeOf<SuccessBody<"createBrowserSession">>();
    expectTypeOf<SessionList>().toEqualTypeOf<SuccessBody<"listBrowserSessions">>();
    expectTypeOf<ExecuteResult>().toEqualTypeOf<SuccessBody<"executeBrowserCode">>();
    expectTypeOf<ScrapeInteractResult>().toEqualTypeOf<SuccessBody<"interactWithScrapeBrowserSession">>();
    expectTypeOf<ScrapeResult>().toEqualTypeOf<SuccessBody<"scrapeAndExtractFromUrl">>();
    expectTypeOf<ScrapeStatusResult>().toEqualTypeOf<SuccessBody<"getScrapeStatus">>();
  });

  it("require what the server always sends, and leave optional what the proxy drops or only some runs carry", () => {
    expectTypeOf<RequiredKeys<CreatedSession>>().toEqualTypeOf<"success" | "id" | "liveViewUrl" | "expiresAt">();
    expectTypeOf<CreatedSession["cdpUrl"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CreatedSession["interactiveLiveViewUrl"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RequiredKeys<SessionList>>().toEqualTypeOf<"success" | "sessions">();
    expectTypeOf<RequiredKeys<InteractSession>>().toEqualTypeOf<
      "id" | "status" | "liveViewUrl" | "createdAt" | "lastActivity"
    >();
    expectTypeOf<InteractSession["status"]>().toEqualTypeOf<SessionStatus>();
    expectTypeOf<RequiredKeys<ExecuteResult>>().toEqualTypeOf<
      "success" | "stdout" | "stderr" | "exitCode" | "killed"
    >();
    expectTypeOf<ExecuteResult["exitCode"]>().toEqualTypeOf<number | null>();
    expectTypeOf<ExecuteResult["result"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<RequiredKeys<DeleteSessionResult>>().toEqualTypeOf<"success">();
    expectTypeOf<RequiredKeys<ScrapeInteractResult>>().toEqualTypeOf<
      "success" | "liveViewUrl" | "exitCode" | "killed"
    >();
    expectTypeOf<ScrapeInteractResult["liveViewUrl"]>().toEqualTypeOf<string | null>();
    expectTypeOf<ScrapeInteractResult["output"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<RequiredKeys<StopInteractionResult>>().toEqualTypeOf<"success">();
    expectTypeOf<RequiredKeys<ScrapeResult>>().toEqualTypeOf<"success" | "data">();
    expectTypeOf<Pick<ScrapeDocument, "metadata">>().toEqualTypeOf<{ metadata: ScrapeDocument["metadata"] }>();
    expectTypeOf<Pick<ScrapeDocument["metadata"], "scrapeId" | "title">>().toEqualTypeOf<{
      scrapeId: string;
      title?: string | string[];
    }>();
  });

  it("name what they hold", () => {
    expectTypeOf<SessionList["sessions"]>().toEqualTypeOf<InteractSession[]>();
    expectTypeOf<ScrapeResult["data"]>().toEqualTypeOf<ScrapeDocument>();
    expectTypeOf<ScrapeStatusResult["data"]>().toEqualTypeOf<ScrapeDocument>();
    expectTypeOf<ScrapeDocument["metadata"]["scrapeId"]>().toEqualTypeOf<string>();
    // Any other meta tag of the page, by its own name.
    expectTypeOf<ScrapeDocument["metadata"]["ogTitle"]>().toEqualTypeOf<unknown>();
    expectTypeOf<ListSessionsQuery>().toEqualTypeOf<{ status?: SessionStatus }>();
  });

  it("type the scrape body as Firecrawl's spec has it", () => {
    expectTypeOf<ScrapeRequest["url"]>().toEqualTypeOf<string>();
    expectTypeOf<ScrapeRequest["timeout"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ScrapeRequest["headers"]>().toEqualTypeOf<{ [key: string]: string } | undefined>();
    expectTypeOf<ScrapeFormatName>().toEqualTypeOf<
      | "markdown"
      | "summary"
      | "html"
      | "rawHtml"
      | "links"
      | "images"
      | "screenshot"
      | "json"
      | "changeTracking"
      | "branding"
      | "product"
      | "menu"
      | "audio"
      | "video"
      | "question"
      | "highlights"
    >();
    expectTypeOf<{
      url: string;
      formats: ["markdown", { type: "question"; question: string }];
    }>().toExtend<ScrapeRequest>();
  });

  it("are exported from the root entry too", () => {
    expectTypeOf<root.CreatedSession>().toEqualTypeOf<CreatedSession>();
    expectTypeOf<root.SessionList>().toEqualTypeOf<SessionList>();
    expectTypeOf<root.InteractSession>().toEqualTypeOf<InteractSession>();
    expectTypeOf<root.ExecuteResult>().toEqualTypeOf<ExecuteResult>();
    expectTypeOf<root.ScrapeInteractResult>().toEqualTypeOf<ScrapeInteractResult>();
    expectTypeOf<root.ScrapeRequest>().toEqualTypeOf<ScrapeRequest>();
    expectTypeOf<root.ScrapeResult>().toEqualTypeOf<ScrapeResult>();
    expectTypeOf<root.ScrapeDocument>().toEqualTypeOf<ScrapeDocument>();
    expectTypeOf<root.ScrapeFormatName>().toEqualTypeOf<ScrapeFormatName>();
  });
});
