export type { EmbeddedEmulatorOptions } from "./dev-proxy.js";
export { DEV_LIMITS, type FirecrawlInteractOptions, firecrawlInteract, LOCAL_DEVELOPER } from "./plugin.js";
