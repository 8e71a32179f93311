export type { InteractOperationId, ScrapeOperationId } from "../core/operations.js";
export type { AuthorizeContext, AuthorizeResult, InteractHandler, InteractHandlerOptions } from "./handler.js";
export { createInteractHandler } from "./handler.js";
export type { InteractProxyLimits } from "./limits.js";
export type { NodeHandlerOptions, NodeMiddleware } from "./node.js";
export { createInteractMiddleware, toNodeHandler } from "./node.js";
export {
  createMemoryOwnerStore,
  type InteractCaller,
  type MemoryOwnerStoreOptions,
  type OwnedKind,
  type OwnerStore,
} from "./owners.js";
