import type { operations, paths } from "../../generated/schema.js";

// Every name here is derived from an operation of the spec by its operationId, never from a component name: Firecrawl's
// published spec declares its schemas inline, and a field it adds shows up here with no change.

/** Every path of the interact API, as generated from the spec. */
export type InteractPaths = paths;
/** The generated types of every operation of the spec, keyed by operationId. */
export type InteractOperations = operations;
/** An operationId of the spec. */
export type OperationId = keyof operations;
/** The JSON body an operation takes, by operationId (`never` for operations without one). */
export type RequestBody<Id extends OperationId> = operations[Id] extends {
  requestBody?: { content: { "application/json": infer Body } };
}
  ? Body
  : never;
/** The JSON body of an operation's 200 answer, by operationId. */
export type SuccessBody<Id extends OperationId> = operations[Id]["responses"][200]["content"]["application/json"];
/** The query parameters of an operation, by operationId. */
export type QueryParams<Id extends OperationId> = NonNullable<operations[Id]["parameters"]["query"]>;

/** Body of `POST /interact`. */
export type CreateSessionRequest = RequestBody<"createBrowserSession">;
/** 200 body of `POST /interact`. */
export type CreateSessionResponse = SuccessBody<"createBrowserSession">;
/** 200 body of `GET /interact`. */
export type ListSessionsResponse = SuccessBody<"listBrowserSessions">;
/** One entry of `GET /interact`. */
export type InteractSession = NonNullable<ListSessionsResponse["sessions"]>[number];
/** The states a session can be listed in: `active`, `destroyed` or `error`. */
export type SessionStatus = NonNullable<QueryParams<"listBrowserSessions">["status"]>;
/** Body of `POST /interact/{sessionId}/execute`. */
export type ExecuteRequest = RequestBody<"executeBrowserCode">;
/** 200 body of `POST /interact/{sessionId}/execute`. */
export type ExecuteResponse = SuccessBody<"executeBrowserCode">;
/** 200 body of `DELETE /interact/{sessionId}`. */
export type DeleteSessionResponse = SuccessBody<"deleteBrowserSession">;

type ScrapeInteractBody = RequestBody<"interactWithScrapeBrowserSession">;
/** The fields of a scrape-interact body besides the one that says what to do. */
type ScrapeInteractOptions = Omit<ScrapeInteractBody, "code" | "prompt">;
/**
 * Body of `POST /scrape/{jobId}/interact`: exactly one of `code` (run it) and `prompt` (let an agent act), the spec's
 * `oneOf`, which the generated type can't express.
 */
export type ScrapeInteractRequest = ScrapeInteractOptions &
  (
    | { code: NonNullable<ScrapeInteractBody["code"]>; prompt?: never }
    | { prompt: NonNullable<ScrapeInteractBody["prompt"]>; code?: never }
  );
/** 200 body of `POST /scrape/{jobId}/interact`. */
export type ScrapeInteractResponse = SuccessBody<"interactWithScrapeBrowserSession">;
/** 200 body of `DELETE /scrape/{jobId}/interact`. */
export type StopInteractionResponse = SuccessBody<"stopInteractiveScrapeBrowserSession">;
