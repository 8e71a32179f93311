/** The team every key belongs to when the emulator is started without `apiKeys`. */
export const DEFAULT_TEAM = "default";

/** The owner of a scrape made without a key (`keylessScrape`) while teams are on: no key's team (a name no key gets). */
export const KEYLESS_TEAM = "\u0000keyless";

/**
 * The name a team's profile is stored under: its own name for the default team (the emulator without `apiKeys`), else
 * namespaced by the team, so two teams' profiles of one name are two profiles, as on Firecrawl.
 */
export const profileStorageName = (team: string, name: string): string =>
  team === DEFAULT_TEAM ? name : `${team}/${name}`;
