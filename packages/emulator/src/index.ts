// firecrawl-interact-emulator: a local Firecrawl-compatible interact API on real Chromium.

export { type ChromiumSource, resolveChromium } from "./browser/chromium.js";
export type { Emulator, EmulatorOptions, EmulatorSessionInfo } from "./emulator.js";
export { startEmulator } from "./emulator.js";
export type { EmulatorAgent, EmulatorAgentInput, EmulatorAgentResult } from "./execute/prompt-agent.js";
export type { FaultSpec, PendingFault } from "./http/faults.js";
export { START_PAGE_PATH } from "./http/start-page.js";
export type { EndReason } from "./sessions/session.js";
