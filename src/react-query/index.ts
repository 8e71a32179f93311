// firecrawl-interact/react-query: the TanStack Query side of the React bindings. Peers: react (^18.3 || ^19) and
// @tanstack/react-query (^5.89). Keys and query/mutation options are plain functions, callable in Server Components;
// the hooks are client modules ("use client") that read the client of firecrawl-interact/react's InteractProvider.
export { type InteractListKey, interactKeys } from "./keys.js";
export {
  createSessionMutationOptions,
  deleteSessionMutationOptions,
  executeMutationOptions,
  type InteractMutationOptions,
  type ListSessionsQueryOptions,
  listSessionsQueryOptions,
  type SessionListFilter,
  scrapeInteractMutationOptions,
  scrapeMutationOptions,
  stopInteractionMutationOptions,
} from "./options.js";
export { type UseExecuteOptions, type UseInteractSessionsOptions, useExecute, useInteractSessions } from "./queries.js";
