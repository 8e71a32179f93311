export type { ErrorBody, InteractErrorCode } from "../spec/error-body.js";
export {
  InteractApiError,
  type InteractApiErrorInit,
  type InteractError,
  InteractValidationError,
  type ValidationRule,
} from "../spec/errors.js";
export {
  createSessionController,
  type InteractSessionState,
  type InteractSessionStatus,
  type SessionController,
  type SessionControllerConfig,
} from "../spec/session-controller.js";
export type * from "../spec/types.js";
export {
  type CallOptions,
  createInteractClient,
  type InteractClient,
  type InteractClientOptions,
} from "./client.js";
