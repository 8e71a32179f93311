export type { AuthorizeContext, InteractHandler, InteractHandlerOptions } from "./handler.js";
export { createInteractHandler } from "./handler.js";
export type { InteractProxyLimits } from "./limits.js";
export type { NodeHandlerOptions, NodeMiddleware } from "./node.js";
export { createInteractMiddleware, toNodeHandler } from "./node.js";
export type { InvalidRequestDetails, ProxyErrorBody, ProxyErrorCode } from "./respond.js";
export type { InteractOperationId } from "./routes.js";
export { FORWARDED_REQUEST_HEADERS, FORWARDED_RESPONSE_HEADERS } from "./upstream.js";
