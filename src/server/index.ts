export type { InteractOperationId } from "../core/operations.js";
export type { AuthorizeContext, InteractHandler, InteractHandlerOptions } from "./handler.js";
export { createInteractHandler } from "./handler.js";
export type { InteractProxyLimits } from "./limits.js";
export type { NodeHandlerOptions, NodeMiddleware } from "./node.js";
export { createInteractMiddleware, toNodeHandler } from "./node.js";
