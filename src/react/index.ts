// firecrawl-interact/react. Optional peers: react (^18.3 || ^19) and @tanstack/react-query (^5.89).
// useInteractSession, useScrapeInteraction and <LiveView> need no QueryClientProvider (when one is mounted, session
// lists are invalidated as sessions start and end). The hooks, the provider and <LiveView> are client modules
// ("use client"); keys and query/mutation options are plain functions, callable in Server Components.
export { type InteractListKey, interactKeys } from "./keys.js";
export { LiveView, type LiveViewProps, type LiveViewSession, type LiveViewState } from "./live-view.js";
export {
  createSessionMutationOptions,
  deleteSessionMutationOptions,
  executeMutationOptions,
  type InteractMutationOptions,
  type ListSessionsQueryOptions,
  listSessionsQueryOptions,
  type SessionListFilter,
  scrapeInteractMutationOptions,
  stopInteractionMutationOptions,
} from "./options.js";
export { InteractProvider, type InteractProviderProps, useInteractClient } from "./provider.js";
export { type UseExecuteOptions, type UseInteractSessionsOptions, useExecute, useInteractSessions } from "./queries.js";
export {
  type UseInteractSessionOptions,
  type UseInteractSessionResult,
  useInteractSession,
} from "./use-interact-session.js";
export {
  type ScrapeInteractionStatus,
  type UseScrapeInteractionOptions,
  type UseScrapeInteractionResult,
  useScrapeInteraction,
} from "./use-scrape-interaction.js";
