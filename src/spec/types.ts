import type { components, operations, paths } from "../../generated/schema.js";

type Schemas = components["schemas"];
/** Body of `POST /interact`. */
export type CreateSessionRequest = Schemas["CreateSessionRequest"];
/** 200 body of `POST /interact`. */
export type CreateSessionResponse = Schemas["CreateSessionResponse"];
/** One entry of `GET /interact`. */
export type InteractSession = Schemas["InteractSession"];
/** `active` or `destroyed`. */
export type SessionStatus = Schemas["SessionStatus"];
/** 200 body of `GET /interact`. */
export type ListSessionsResponse = Schemas["ListSessionsResponse"];
/** Body of `POST /interact/{sessionId}/execute`. */
export type ExecuteRequest = Schemas["ExecuteRequest"];
/** 200 body of `POST /interact/{sessionId}/execute`. */
export type ExecuteResponse = Schemas["ExecuteResponse"];
/** 200 body of `DELETE /interact/{sessionId}`. */
export type DeleteSessionResponse = Schemas["DeleteSessionResponse"];
/** Every path of the interact API, as generated from the spec. */
export type InteractPaths = paths;
/** The generated types of every operation of the spec, keyed by operationId. */
export type InteractOperations = operations;
/** The JSON body of an operation's 200 answer, by operationId. */
export type SuccessBody<Id extends keyof operations> = operations[Id]["responses"][200]["content"]["application/json"];
