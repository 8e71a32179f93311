// firecrawl-interact/react. Peers: react (^18.3 || ^19) and @tanstack/react-query (^5.89), both required because
// this entry imports them; useInteractSession and <LiveView> need no QueryClientProvider (when one is mounted,
// session lists are invalidated as sessions start and end).
export type { InteractError } from "./errors.js";
export { type InteractListKey, interactKeys } from "./keys.js";
export {
  LIVE_VIEW_ALLOW,
  LIVE_VIEW_SANDBOX,
  LiveView,
  type LiveViewProps,
  type LiveViewSession,
  type LiveViewState,
} from "./LiveView.js";
export { type LiveViewMessage, type LiveViewMessageType, parseLiveViewMessage } from "./liveViewMessages.js";
export {
  checkLiveViewUrl,
  isSafeLiveViewUrl,
  type LiveViewUrlCheck,
  type LiveViewUrlRejection,
  toInteractiveUrl,
} from "./liveViewUrl.js";
export {
  createSessionMutationOptions,
  deleteSessionMutationOptions,
  executeMutationOptions,
  type InteractMutationOptions,
  type ListSessionsQueryOptions,
  listSessionsQueryOptions,
  type SessionListFilter,
} from "./options.js";
export { InteractProvider, type InteractProviderProps, useInteractClient } from "./provider.js";
export { type UseExecuteOptions, type UseInteractSessionsOptions, useExecute, useInteractSessions } from "./queries.js";
export type { InteractSessionState, InteractSessionStatus } from "./sessionController.js";
export {
  type UseInteractSessionOptions,
  type UseInteractSessionResult,
  useInteractSession,
} from "./useInteractSession.js";
