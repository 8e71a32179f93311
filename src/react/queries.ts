"use client";

import {
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
  useMutation,
  useQuery,
} from "@tanstack/react-query";
import type {
  ExecuteRequest,
  ExecuteResponse,
  InteractClient,
  InteractError,
  ListSessionsResponse,
} from "../client/index.js";
import type { InteractListKey } from "./keys.js";
import { executeMutationOptions, listSessionsQueryOptions, type SessionListFilter } from "./options.js";
import { useInteractClient } from "./provider.js";

/** Options of {@link useInteractSessions}: the list filter, an optional client, and any `useQuery` option but key/fn. */
export type UseInteractSessionsOptions<TData = ListSessionsResponse> = SessionListFilter & {
  /** Overrides the {@link InteractProvider}'s client. */
  client?: InteractClient;
} & Omit<UseQueryOptions<ListSessionsResponse, InteractError, TData, InteractListKey>, "queryKey" | "queryFn">;

/** Lists sessions with `useQuery(listSessionsQueryOptions(client, { status }))`; `select` shapes `data`. */
export const useInteractSessions = <TData = ListSessionsResponse>({
  client,
  status,
  ...queryOverrides
}: UseInteractSessionsOptions<TData> = {}): UseQueryResult<TData, InteractError> => {
  const { queryKey, queryFn } = listSessionsQueryOptions(useInteractClient(client), { status });
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
