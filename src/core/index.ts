// firecrawl-interact/core: what the client, the proxy and the emulator share, generated from the spec or written
// once against it: request constraints, the validator, the operation matcher, error bodies, the JSON body reader, the
// live-view protocol, and the two lifecycle controllers (a live session, a scrape's browser) that the hooks wrap.
export type { ConstraintParameter, ConstraintSchema, OperationConstraint } from "../../generated/constraints.js";
export { operations, scrapeOperations } from "../../generated/constraints.js";
export { DEFAULT_BASE_PATH, DEFAULT_BASE_URL } from "./defaults.js";
export {
  type ErrorAnswer,
  type ErrorBody,
  errorAnswer,
  type InteractErrorCode,
  type InvalidRequestDetails,
  invalidRequestAnswer,
} from "./error-body.js";
export { InteractValidationError, type ValidationRule } from "./errors.js";
export {
  type FaultAction,
  FaultQueue,
  type FaultSpec,
  type FaultSpecProblem,
  faultSpecProblem,
  type PendingFault,
} from "./faults.js";
export {
  type JsonBodyResult,
  type JsonBodySource,
  MAX_BODY_BYTES,
  nodeBodyStream,
  type ReadJsonBodyOptions,
  readJsonBody,
} from "./json-body.js";
export type { Lifecycle, LifecycleConfig } from "./lifecycle.js";
export {
  decodeLiveViewFrame,
  encodeLiveViewFrame,
  isLiveViewControlMessage,
  LIVE_VIEW_DPR,
  LIVE_VIEW_MESSAGE_SOURCE,
  type LiveViewControlMessage,
  type LiveViewFrame,
  type LiveViewFrameHeader,
  type LiveViewInput,
  type LiveViewKeyInput,
  type LiveViewMessage,
  type LiveViewMessageType,
  type LiveViewMouseButton,
  type LiveViewMouseInput,
  type LiveViewServerMessage,
  type LiveViewTextInput,
  type LiveViewViewerMessage,
  type LiveViewViewportMessage,
  type LiveViewVisibilityMessage,
  type LiveViewWheelInput,
  MAX_LIVE_VIEW_SIZE,
  MAX_LIVE_VIEW_TEXT,
  parseLiveViewInput,
  parseLiveViewMessage,
  parseLiveViewServerMessage,
  parseLiveViewViewerMessage,
  parseLiveViewViewportParams,
} from "./live-view-protocol.js";
export type { LiveViewSession } from "./live-view-session.js";
export {
  type CanonicalOperationId,
  canonicalOperationId,
  type InteractMethod,
  type InteractOperation,
  type InteractOperationId,
  matchOperation,
  type OperationMatch,
  type ScrapeOperation,
  type ScrapeOperationId,
} from "./operations.js";
export { keyRedactor } from "./redact.js";
export {
  createScrapeInteractionController,
  type ScrapeInteractionClient,
  type ScrapeInteractionConfig,
  type ScrapeInteractionController,
  type ScrapeInteractionState,
  type ScrapeInteractionStatus,
} from "./scrape-interaction-controller.js";
export {
  createSessionController,
  type InteractSessionState,
  type InteractSessionStatus,
  type SessionController,
  type SessionControllerClient,
  type SessionControllerConfig,
} from "./session-controller.js";
export type * from "./types.js";
export { assertValid, isValidParam, type RequestParts, validateRequest, validationError } from "./validate.js";
