import type { operations, paths } from "../../generated/schema.js";

// Every name here is derived from an operation of the spec by its operationId, never from a component name: Firecrawl's
// published spec declares its schemas inline, and a field it adds shows up here with no change. The bodies and answers
// are interfaces so that editors show their names, not their fields.

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

/** T with its field K typed as V, a named type of the same shape; whether K is optional stays as the spec says. */
type WithNamed<T, K extends keyof T, V> = { [P in keyof T]: P extends K ? V : T[P] };
/** The element type of an array field (which may be absent). */
type ItemOf<T> = NonNullable<T> extends readonly (infer Item)[] ? Item : never;

/** Body of `POST /interact`: the new session's lifetime, live view and profile. */
export interface CreateSessionRequest extends RequestBody<"createBrowserSession"> {}
/** 200 body of `POST /interact`: the new session's id, live-view URLs and expiry. */
export interface CreatedSession extends SuccessBody<"createBrowserSession"> {}
/** 200 body of `POST /interact` (the older name of {@link CreatedSession}). */
export type CreateSessionResponse = CreatedSession;

/** One session as `GET /interact` lists it. */
export interface InteractSession extends ItemOf<SuccessBody<"listBrowserSessions">["sessions"]> {}
/** 200 body of `GET /interact`: the sessions, each an {@link InteractSession}. */
export interface SessionList extends WithNamed<SuccessBody<"listBrowserSessions">, "sessions", InteractSession[]> {}
/** 200 body of `GET /interact` (the older name of {@link SessionList}). */
export type ListSessionsResponse = SessionList;
/** Query of `GET /interact`: an optional `status` to list only the sessions in that state. */
export interface ListSessionsQuery extends QueryParams<"listBrowserSessions"> {}
/** The states a session can be listed in: `active`, `destroyed` or `error`. */
export type SessionStatus = NonNullable<ListSessionsQuery["status"]>;

/** Body of `POST /interact/{sessionId}/execute`: the code, its language and timeout. */
export interface ExecuteRequest extends RequestBody<"executeBrowserCode"> {}
/** 200 body of `POST /interact/{sessionId}/execute`: what the run printed, returned and exited with. */
export interface ExecuteResult extends SuccessBody<"executeBrowserCode"> {}
/** 200 body of `POST /interact/{sessionId}/execute` (the older name of {@link ExecuteResult}). */
export type ExecuteResponse = ExecuteResult;

/** 200 body of `DELETE /interact/{sessionId}`: how long the session lived and what it cost. */
export interface DeleteSessionResult extends SuccessBody<"deleteBrowserSession"> {}
/** 200 body of `DELETE /interact/{sessionId}` (the older name of {@link DeleteSessionResult}). */
export type DeleteSessionResponse = DeleteSessionResult;

/** 200 body of `GET /interact/{sessionId}`: its id, URLs and status (`running`, or `stopped` with its duration). */
export interface SessionStatusResult extends SuccessBody<"getBrowserSession"> {}

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
/** 200 body of `POST /scrape/{jobId}/interact`: the run's output and the live-view URLs of the scrape's browser. */
export interface ScrapeInteractResult extends SuccessBody<"interactWithScrapeBrowserSession"> {}
/** 200 body of `POST /scrape/{jobId}/interact` (the older name of {@link ScrapeInteractResult}). */
export type ScrapeInteractResponse = ScrapeInteractResult;
/** 200 body of `DELETE /scrape/{jobId}/interact`. */
export interface StopInteractionResult extends SuccessBody<"stopInteractiveScrapeBrowserSession"> {}
/** 200 body of `DELETE /scrape/{jobId}/interact` (the older name of {@link StopInteractionResult}). */
export type StopInteractionResponse = StopInteractionResult;

/** Body of `POST /scrape`: the URL and how to read it (formats, actions, timeout…). */
export interface ScrapeRequest extends RequestBody<"scrapeAndExtractFromUrl"> {}
type ScrapeFormatEntry = NonNullable<ScrapeRequest["formats"]>[number];
/** The name of a scrape format (`markdown`, `screenshot`, `json`…): a `formats` entry, or its object's `type`. */
export type ScrapeFormatName = Extract<ScrapeFormatEntry, string> | Exclude<ScrapeFormatEntry, string>["type"];
/** The page of a scrape answer: one field per requested format, and `metadata` with the `scrapeId`. */
export interface ScrapeDocument extends NonNullable<SuccessBody<"scrapeAndExtractFromUrl">["data"]> {}
/** 200 body of `POST /scrape`: the page as a {@link ScrapeDocument}. */
export interface ScrapeResult extends WithNamed<SuccessBody<"scrapeAndExtractFromUrl">, "data", ScrapeDocument> {}
/** 200 body of `GET /scrape/{jobId}`: the scrape's answer, by its id. */
export interface ScrapeStatusResult extends WithNamed<SuccessBody<"getScrapeStatus">, "data", ScrapeDocument> {}
