import type { SessionStatus } from "../client/index.js";

/**
 * Query-key factory for the interact API, TanStack style: every key starts with {@link interactKeys.all}, so one
 * `invalidateQueries({ queryKey: interactKeys.all })` refreshes everything this package caches.
 */
export const interactKeys = {
  /** Root of every key of this package. */
  all: ["firecrawl-interact"] as const,
  /** Prefix of every session list, whatever its status filter. */
  lists: () => [...interactKeys.all, "sessions"] as const,
  /** One session list: `status` `active`, `destroyed`, or `null` for all sessions. */
  list: (status?: SessionStatus) => [...interactKeys.lists(), { status: status ?? null }] as const,
  /** Prefix of everything about one session (its mutations, e.g. execute). */
  session: (sessionId: string) => [...interactKeys.all, "session", sessionId] as const,
  /** Prefix of everything about one scrape's browser (its mutations, e.g. interact). */
  scrape: (scrapeId: string) => [...interactKeys.all, "scrape", scrapeId] as const,
} as const;

/** The key of one session list, as built by {@link interactKeys.list}. */
export type InteractListKey = ReturnType<typeof interactKeys.list>;
