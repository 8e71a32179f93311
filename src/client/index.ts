export type { ConstraintSchema } from "../../generated/constraints.js";
export { operations, parameters, schemas } from "../../generated/constraints.js";
export type {
  CallOptions,
  CreateSessionRequest,
  CreateSessionResponse,
  DeleteSessionResponse,
  ExecuteRequest,
  ExecuteResponse,
  InteractClient,
  InteractClientOptions,
  InteractPaths,
  InteractSession,
  ListSessionsResponse,
  SessionStatus,
} from "./client.js";
export { createInteractClient, DEFAULT_BASE_URL } from "./client.js";
export type { ErrorResponse, InteractApiErrorInit, ValidationRule } from "./errors.js";
export { InteractApiError, InteractValidationError, parseRetryAfter } from "./errors.js";
export {
  assertValid,
  validateCreateSession,
  validateExecute,
  validateSessionId,
  validateStatusFilter,
} from "./validate.js";
