export type { ErrorBody, InteractErrorCode } from "../core/error-body.js";
export {
  InteractApiError,
  type InteractApiErrorInit,
  type InteractError,
  InteractValidationError,
  type ValidationRule,
} from "../core/errors.js";
export type { Lifecycle, LifecycleConfig } from "../core/lifecycle.js";
export type { LiveViewSession } from "../core/live-view-session.js";
export {
  createScrapeInteractionController,
  type ScrapeInteractionClient,
  type ScrapeInteractionConfig,
  type ScrapeInteractionController,
  type ScrapeInteractionState,
  type ScrapeInteractionStatus,
} from "../core/scrape-interaction-controller.js";
export {
  createSessionController,
  type InteractSessionState,
  type InteractSessionStatus,
  type SessionController,
  type SessionControllerClient,
  type SessionControllerConfig,
} from "../core/session-controller.js";
export type * from "../core/types.js";
export {
  type CallOptions,
  createInteractClient,
  type InteractClient,
  type InteractClientOptions,
} from "./client.js";
