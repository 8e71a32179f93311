"use client";

import {
  type QueryClient,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useEffect } from "react";
import type {
  ExecuteRequest,
  ExecuteResponse,
  InteractClient,
  InteractError,
  ListSessionsResponse,
} from "../client/index.js";
import { subscribeToSessionsChange } from "../core/sessions-change.js";
import { useInteractClient } from "../react/provider.js";
import { type InteractListKey, refreshSessionLists } from "./keys.js";
import { executeMutationOptions, listSessionsQueryOptions, type SessionListFilter } from "./options.js";

/** Options of {@link useInteractSessions}: the list filter, an optional client, and any `useQuery` option but key/fn. */
export type UseInteractSessionsOptions<TData = ListSessionsResponse> = SessionListFilter & {
  /** Overrides the {@link InteractProvider}'s client. */
  client?: InteractClient;
} & Omit<UseQueryOptions<ListSessionsResponse, InteractError, TData, InteractListKey>, "queryKey" | "queryFn">;

// Query clients with a refresh queued for this task: lists mounted side by side all hear one change, one refetch each.
const queued = new WeakSet<QueryClient>();

/** Refreshes the query client's session lists once per task, however many mounted lists heard the change. */
const refreshOnce = (queryClient: QueryClient) => {
  if (queued.has(queryClient)) return;
  queued.add(queryClient);
  queueMicrotask(() => {
    queued.delete(queryClient);
    void refreshSessionLists(queryClient);
  });
};

/**
 * Lists sessions with `useQuery(listSessionsQueryOptions(client, { status }))`; `select` shapes `data`. While it is
 * mounted, every session list of the query client refreshes when `useInteractSession` (or any session controller)
 * starts or ends a session through the same client.
 */
export const useInteractSessions = <TData = ListSessionsResponse>({
  client,
  status,
  ...queryOverrides
}: UseInteractSessionsOptions<TData> = {}): UseQueryResult<TData, InteractError> => {
  const interactClient = useInteractClient(client);
  const queryClient = useQueryClient();
  useEffect(
    () =>
      subscribeToSessionsChange((changed) => {
        if (changed === interactClient) refreshOnce(queryClient);
      }),
    [interactClient, queryClient],
  );
  const { queryKey, queryFn } = listSessionsQueryOptions(interactClient, { status });
  return useQuery({ ...queryOverrides, queryKey, queryFn });
};

/** Options of {@link useExecute}. */
export interface UseExecuteOptions {
  /** Overrides the {@link InteractProvider}'s client. */
  client?: InteractClient;
}

/** Runs code in a session with `useMutation(executeMutationOptions(client, sessionId))`. */
export const useExecute = (
  sessionId: string,
  { client }: UseExecuteOptions = {},
): UseMutationResult<ExecuteResponse, InteractError, ExecuteRequest> =>
  useMutation(executeMutationOptions(useInteractClient(client), sessionId));
