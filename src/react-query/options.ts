import {
  mutationOptions,
  type QueryKeyWithDataTag,
  queryOptions,
  type UnusedSkipTokenOptions,
  type UseMutationOptions,
  type WithRequired,
} from "@tanstack/react-query";
import type {
  CreateSessionRequest,
  CreateSessionResponse,
  DeleteSessionResponse,
  ExecuteRequest,
  ExecuteResponse,
  InteractClient,
  InteractError,
  ListSessionsResponse,
  ScrapeInteractRequest,
  ScrapeInteractResponse,
  ScrapeRequest,
  ScrapeResult,
  SessionStatus,
  StopInteractionResponse,
} from "../client/index.js";
import { type InteractListKey, interactKeys, refreshSessionLists } from "./keys.js";

/** Filter of a session list. */
export interface SessionListFilter {
  /** Only `active` or only `destroyed` sessions; all when absent. */
  status?: SessionStatus | undefined;
}

/** What {@link listSessionsQueryOptions} returns: `useQuery` options whose key is tagged with data and error types. */
export type ListSessionsQueryOptions = UnusedSkipTokenOptions<
  ListSessionsResponse,
  InteractError,
  ListSessionsResponse,
  InteractListKey
> &
  QueryKeyWithDataTag<InteractListKey, ListSessionsResponse, InteractError>;

/** What the mutation factories return: `useMutation` options of one operation, with its key and typed error. */
export type InteractMutationOptions<TData, TVariables> = WithRequired<
  UseMutationOptions<TData, InteractError, TVariables>,
  "mutationKey"
>;

/** Query options for `GET /interact`, usable in `useQuery`, `prefetchQuery`, `useSuspenseQuery` and `ensureQueryData`. */
export const listSessionsQueryOptions = (
  client: InteractClient,
  { status }: SessionListFilter = {},
): ListSessionsQueryOptions =>
  queryOptions<ListSessionsResponse, InteractError, ListSessionsResponse, InteractListKey>({
    queryKey: interactKeys.list(status),
    queryFn: ({ signal }) => client.listSessions({ status }, { signal }),
  });

/** Mutation options for `POST /interact` (variables: the create body); invalidates every session list on success. */
export const createSessionMutationOptions = (
  client: InteractClient,
): InteractMutationOptions<CreateSessionResponse, CreateSessionRequest> => {
  return mutationOptions<CreateSessionResponse, InteractError, CreateSessionRequest>({
    mutationKey: [...interactKeys.all, "createSession"],
    mutationFn: (body) => client.createSession(body),
    onSuccess: (_data, _body, _result, context) => refreshSessionLists(context.client),
  });
};

/** Mutation options for `POST /interact/{sessionId}/execute` (variables: the execute body); invalidates the lists. */
export const executeMutationOptions = (
  client: InteractClient,
  sessionId: string,
): InteractMutationOptions<ExecuteResponse, ExecuteRequest> => {
  return mutationOptions<ExecuteResponse, InteractError, ExecuteRequest>({
    mutationKey: [...interactKeys.session(sessionId), "execute"],
    mutationFn: (body) => client.execute(sessionId, body),
    // Execute counts as activity, so listed `lastActivity` changes.
    onSuccess: (_data, _body, _result, context) => refreshSessionLists(context.client),
  });
};

/** Mutation options for `DELETE /interact/{sessionId}` (variables: the session id); invalidates the lists when settled. */
export const deleteSessionMutationOptions = (
  client: InteractClient,
): InteractMutationOptions<DeleteSessionResponse, string> => {
  return mutationOptions<DeleteSessionResponse, InteractError, string>({
    mutationKey: [...interactKeys.all, "deleteSession"],
    mutationFn: (sessionId) => client.deleteSession(sessionId),
    // Settled, not success: a 404/410 also means the listed status may have changed.
    onSettled: (_data, _error, _sessionId, _result, context) => refreshSessionLists(context.client),
  });
};

/**
 * Mutation options for `POST /scrape` (variables: the scrape body). The key is the prefix of every
 * {@link interactKeys.scrape} key, so one filter finds a scrape and the interactions on its browser.
 */
export const scrapeMutationOptions = (client: InteractClient): InteractMutationOptions<ScrapeResult, ScrapeRequest> => {
  return mutationOptions<ScrapeResult, InteractError, ScrapeRequest>({
    mutationKey: [...interactKeys.all, "scrape"],
    mutationFn: (body) => client.scrape(body),
  });
};

/** Mutation options for `POST /scrape/{jobId}/interact` (variables: the body, exactly one of `code` and `prompt`). */
export const scrapeInteractMutationOptions = (
  client: InteractClient,
  scrapeId: string,
): InteractMutationOptions<ScrapeInteractResponse, ScrapeInteractRequest> => {
  return mutationOptions<ScrapeInteractResponse, InteractError, ScrapeInteractRequest>({
    mutationKey: [...interactKeys.scrape(scrapeId), "interact"],
    mutationFn: (body) => client.interact(scrapeId, body),
  });
};

/** Mutation options for `DELETE /scrape/{jobId}/interact` (variables: the scrape id). */
export const stopInteractionMutationOptions = (
  client: InteractClient,
): InteractMutationOptions<StopInteractionResponse, string> => {
  return mutationOptions<StopInteractionResponse, InteractError, string>({
    mutationKey: [...interactKeys.all, "stopInteraction"],
    mutationFn: (scrapeId) => client.stopInteraction(scrapeId),
  });
};
