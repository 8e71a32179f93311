import type { IncomingMessage } from "node:http";
import { EmulatorHttpError } from "../errors.js";
import { tokenMatches } from "../sessions/session.js";
import { DEFAULT_TEAM, KEYLESS_TEAM } from "../sessions/teams.js";

/** The keys an emulator accepts and the team each belongs to. */
export interface ApiKeysOptions {
  /** The one key accepted (all of one team); unset with no `apiKeys`: any non-empty key is. */
  apiKey?: string | undefined;
  /** Key → team: only these keys are accepted, and what a key makes belongs to its team. */
  apiKeys?: Readonly<Record<string, string>> | undefined;
}

const unauthorized = () => new EmulatorHttpError(401, "unauthorized", "Unauthorized: missing or invalid API key");

/**
 * Checks `Authorization: Bearer <key>` and names the caller's team: with `apiKeys`, the team of the key; otherwise
 * every accepted key is one team, {@link DEFAULT_TEAM}.
 */
export class ApiKeys {
  private readonly apiKey: string | undefined;
  private readonly teams: readonly [string, string][] | undefined;

  constructor(options: ApiKeysOptions) {
    if (options.apiKey !== undefined && options.apiKeys !== undefined) {
      throw new TypeError("Give the emulator apiKey or apiKeys, not both");
    }
    const entries = options.apiKeys === undefined ? undefined : Object.entries(options.apiKeys);
    for (const [key, team] of entries ?? []) {
      if (key.trim() === "" || /\s/.test(key) || team.trim() === "") {
        throw new TypeError("apiKeys maps non-empty keys without spaces to non-empty team names");
      }
    }
    if (entries?.length === 0) throw new TypeError("apiKeys needs at least one key");
    this.apiKey = options.apiKey;
    this.teams = entries;
  }

  /** Whether keys belong to teams of their own (`apiKeys` was given). */
  get teamsEnabled(): boolean {
    return this.teams !== undefined;
  }

  /**
   * The team of the request's key; throws the 401 when it has none or a wrong one. `keyOptional`: a request with no
   * Authorization header at all passes as the keyless caller (the keyless scrape); a header that is there must be right.
   */
  teamOf(request: IncomingMessage, keyOptional = false): string {
    if (keyOptional && request.headers.authorization === undefined) {
      return this.teamsEnabled ? KEYLESS_TEAM : DEFAULT_TEAM;
    }
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
    if (!presented) throw unauthorized();
    if (this.teams) {
      // Every key is compared, in constant time each, so the answer's timing does not say which one matched.
      let team: string | undefined;
      for (const [key, owner] of this.teams) if (tokenMatches(key, presented)) team = owner;
      if (team === undefined) throw unauthorized();
      return team;
    }
    if (this.apiKey !== undefined && !tokenMatches(this.apiKey, presented)) throw unauthorized();
    return DEFAULT_TEAM;
  }
}
