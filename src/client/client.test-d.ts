import { describe, expectTypeOf, it } from "vitest";
import { operations } from "../core/index.js";
import {
  type CreateSessionRequest,
  type CreateSessionResponse,
  createInteractClient,
  type DeleteSessionResponse,
  type ExecuteResponse,
  type InteractApiError,
  type InteractValidationError,
  type ListSessionsResponse,
  type ScrapeInteractRequest,
  type ScrapeInteractResponse,
  type ScrapeInteractResult,
  type ScrapeRequest,
  type ScrapeResult,
  type ScrapeStatusResult,
  type SessionStatus,
  type SessionStatusResult,
  type StopInteractionResponse,
} from "./index.js";

const client = createInteractClient({ apiKey: "fc-test" });

describe("friendly methods", () => {
  it("resolve to the generated 200 bodies", () => {
    expectTypeOf(client.createSession()).resolves.toEqualTypeOf<CreateSessionResponse>();
    expectTypeOf(client.listSessions({ status: "active" })).resolves.toEqualTypeOf<ListSessionsResponse>();
    expectTypeOf(client.execute("id", { code: "1" })).resolves.toEqualTypeOf<ExecuteResponse>();
    expectTypeOf(client.deleteSession("id")).resolves.toEqualTypeOf<DeleteSessionResponse>();
    // The server always sends these; the proxy may drop cdpUrl and interactiveLiveViewUrl.
    expectTypeOf<CreateSessionResponse["liveViewUrl"]>().toEqualTypeOf<string>();
    expectTypeOf<CreateSessionResponse["cdpUrl"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ExecuteResponse["stdout"]>().toEqualTypeOf<string | null>();
    expectTypeOf<SessionStatus>().toEqualTypeOf<"active" | "destroyed" | "error">();
    expectTypeOf(client.interact("job", { code: "1" })).resolves.toEqualTypeOf<ScrapeInteractResponse>();
    expectTypeOf(client.stopInteraction("job")).resolves.toEqualTypeOf<StopInteractionResponse>();
    expectTypeOf<ScrapeInteractResponse["output"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<ScrapeInteractResponse["truncated"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ExecuteResponse["truncated"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf(client.scrape({ url: "https://example.com" })).resolves.toEqualTypeOf<ScrapeResult>();
    expectTypeOf(client.getScrape("job")).resolves.toEqualTypeOf<ScrapeStatusResult>();
    expectTypeOf(client.scrape).parameter(0).toEqualTypeOf<ScrapeRequest>();
    // A session's status: what the server always sends is required, its states are the server's.
    expectTypeOf(client.getSession("s")).resolves.toEqualTypeOf<SessionStatusResult>();
    expectTypeOf<SessionStatusResult["id"]>().toEqualTypeOf<string>();
    expectTypeOf<SessionStatusResult["liveViewUrl"]>().toEqualTypeOf<string>();
    expectTypeOf<SessionStatusResult["sessionDurationMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SessionStatusResult["status"]>().toEqualTypeOf<
      "starting" | "running" | "suspending" | "suspended" | "resuming" | "stopping" | "stopped" | "failed"
    >();
  });

  it("scrape takes Firecrawl's options and answers with the scrape's id, no `!` needed", async () => {
    const result = await client.scrape({
      url: "https://example.com",
      formats: ["markdown", { type: "screenshot", fullPage: true }, { type: "json", schema: { type: "object" } }],
      headers: { "user-agent": "docs" },
      timeout: 30_000,
      actions: [
        { type: "wait", milliseconds: 500 },
        { type: "click", selector: "#more" },
      ],
    });
    expectTypeOf(result.data.metadata.scrapeId).toEqualTypeOf<string>();
    expectTypeOf(result.data.markdown).toEqualTypeOf<string | undefined>();
    expectTypeOf(
      client.interact(result.data.metadata.scrapeId, { prompt: "Click" }),
    ).resolves.toEqualTypeOf<ScrapeInteractResult>();
    // @ts-expect-error url is required
    client.scrape({ formats: ["markdown"] });
    // @ts-expect-error not a format name
    client.scrape({ url: "https://example.com", formats: ["pdf"] });
    // @ts-expect-error a question needs its question
    client.scrape({ url: "https://example.com", formats: [{ type: "question" }] });
    // @ts-expect-error timeout is an integer of milliseconds
    client.scrape({ url: "https://example.com", timeout: "30s" });
  });

  it("reject bodies that break the spec's types", () => {
    // @ts-expect-error ttl is an integer, not a string
    client.createSession({ ttl: "60" });
    // @ts-expect-error profile needs a name
    client.createSession({ profile: { saveChanges: true } });
    // @ts-expect-error language is python | node | bash
    client.execute("id", { code: "1", language: "ruby" });
    // @ts-expect-error code is required
    client.execute("id", {});
    // @ts-expect-error the session id is required
    client.execute({ code: "1" });
    // @ts-expect-error the session id is required
    client.deleteSession();
    // @ts-expect-error status is active | destroyed | error
    client.listSessions({ status: "paused" });
    // @ts-expect-error interact takes code or a prompt, not both
    client.interact("job", { code: "1", prompt: "click" });
    // @ts-expect-error interact needs code or a prompt
    client.interact("job", { language: "node" });
    // @ts-expect-error timeout is an integer
    client.interact("job", { prompt: "click", timeout: "30" });
    expectTypeOf<CreateSessionRequest>().toEqualTypeOf<{
      ttl?: number;
      activityTtl?: number;
      streamWebView?: boolean;
      profile?: { name: string; saveChanges?: boolean };
      recordSession?: boolean;
      integration?: string;
    }>();
    expectTypeOf<ScrapeInteractRequest>().toExtend<
      { code: string; language?: "python" | "node" | "bash"; timeout?: number; origin?: string } | { prompt: string }
    >();
  });
});

describe("raw openapi-fetch client", () => {
  it("types paths, bodies, params and responses from the spec", async () => {
    const created = await client.raw.POST("/interact", { body: { ttl: 60 } });
    expectTypeOf(created.data).toEqualTypeOf<CreateSessionResponse | undefined>();
    const executed = await client.raw.POST("/interact/{sessionId}/execute", {
      params: { path: { sessionId: "id" } },
      body: { code: "1" },
    });
    expectTypeOf(executed.data).toEqualTypeOf<ExecuteResponse | undefined>();

    // @ts-expect-error not a path of the spec
    client.raw.POST("/interactions", { body: {} });
    // @ts-expect-error wrong body type
    client.raw.POST("/interact", { body: { ttl: "60" } });
    // @ts-expect-error missing the sessionId path parameter
    client.raw.POST("/interact/{sessionId}/execute", { body: { code: "1" } });
    // @ts-expect-error DELETE is not defined on /interact
    client.raw.DELETE("/interact", {});
    const stopped = await client.raw.DELETE("/scrape/{jobId}/interact", { params: { path: { jobId: "job" } } });
    expectTypeOf(stopped.data).toEqualTypeOf<StopInteractionResponse | undefined>();
  });
});

describe("errors and constraints", () => {
  it("expose typed fields", () => {
    expectTypeOf<InteractApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<InteractApiError["code"]>().toEqualTypeOf<string>();
    expectTypeOf<InteractApiError["retryAfterMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<InteractValidationError["code"]>().toEqualTypeOf<"invalid_request">();
    const { createBrowserSession, executeBrowserCode, interactWithScrapeBrowserSession } = operations;
    expectTypeOf(createBrowserSession.body.properties.ttl.minimum).toEqualTypeOf<30>();
    expectTypeOf(createBrowserSession.body.properties.ttl.default).toEqualTypeOf<600>();
    expectTypeOf(executeBrowserCode.body.properties.language.enum).toEqualTypeOf<readonly ["python", "node", "bash"]>();
    expectTypeOf(interactWithScrapeBrowserSession.body.properties.prompt.maxLength).toEqualTypeOf<10000>();
  });
});
