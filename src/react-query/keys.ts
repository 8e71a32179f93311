import type { QueryClient } from "@tanstack/react-query";
import type { SessionStatus } from "../client/index.js";

const all = ["firecrawl-interact"] as const;
const lists = () => [...all, "sessions"] as const;

/**
 * Query-key factory for the interact API, TanStack style: every key starts with {@link interactKeys.all}, so one
 * `invalidateQueries({ queryKey: interactKeys.all })` refreshes everything this package caches.
 */
export const interactKeys = {
  /** Root of every key of this package. */
  all,
  /** Prefix of every session list, whatever its status filter. */
  lists,
  /** One session list: `status` `active`, `destroyed`, or `null` for all sessions. */
  list: (status?: SessionStatus) => [...lists(), { status: status ?? null }] as const,
  /** Prefix of everything about one session (its mutations, e.g. execute). */
  session: (sessionId: string) => [...all, "session", sessionId] as const,
  /** Prefix of everything about one scrape's browser (its mutations, e.g. interact). */
  scrape: (scrapeId: string) => [...all, "scrape", scrapeId] as const,
} as const;

/** The key of one session list, as built by {@link interactKeys.list}. */
export type InteractListKey = ReturnType<typeof interactKeys.list>;

/** Refreshes every cached session list (after a session started or ended); reads only the keys it needs. */
export const refreshSessionLists = (queryClient: QueryClient): Promise<void> =>
  queryClient.invalidateQueries({ queryKey: lists() });
