// firecrawl-interact/react. Optional peer: react (^18.3 || ^19); nothing here imports TanStack Query.
// useInteractSession, useScrapeInteraction, <LiveView> and InteractProvider need react alone; the TanStack parts (keys,
// query and mutation options, useInteractSessions, useExecute) are firecrawl-interact/react-query, whose session lists
// refresh as sessions start and end here. The hooks, the provider and <LiveView> are client modules ("use client").
export { LiveView, type LiveViewProps, type LiveViewSession, type LiveViewState } from "./live-view.js";
export { InteractProvider, type InteractProviderProps, useInteractClient } from "./provider.js";
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
