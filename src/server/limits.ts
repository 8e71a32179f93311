import { createBrowserSession } from "../../generated/constraints.js";
import type { CanonicalOperationId } from "../core/operations.js";
import type { CreateSessionRequest } from "../core/types.js";
import { assertValid } from "../core/validate.js";
import { errorResponse } from "./respond.js";

/** What a browser may ask of the proxy; everything not allowed here is decided by the server, not the page. */
export interface InteractProxyLimits {
  /** Longest `ttl` in seconds; larger or absent values are lowered to it (clamped, not rejected). */
  maxTtl?: number;
  /** Longest `activityTtl` in seconds; larger or absent values are lowered to it (clamped, not rejected). */
  maxActivityTtl?: number;
  /** Let create bodies carry a `profile` (default false → 403), since profiles hold persistent cookies. */
  allowProfiles?: boolean;
  /** Forward `POST …/{sessionId}/execute` (default false → 403), since it runs arbitrary code in the browser. */
  allowExecute?: boolean;
  /**
   * Forward `POST`/`DELETE /scrape/{jobId}/interact` (default false → 403), since they run code or a prompt agent on
   * a scrape's page and spend credits.
   */
  allowScrapeInteract?: boolean;
  /**
   * Pass `cdpUrl` on to the browser (default false: removed from every answer). A CDP URL is full control of the
   * browser, cookies and all, beyond what execute allows; keep it on the server unless the page must drive CDP itself.
   */
  exposeCdpUrl?: boolean;
  /**
   * Pass `interactiveLiveViewUrl` on (default true), so a user can click and type in its own session's page; false
   * leaves only the read-only live view.
   */
  allowInteractiveLiveView?: boolean;
}

/** Limits after checking, with the booleans defaulted. */
export interface ResolvedLimits {
  readonly maxTtl: number | undefined;
  readonly maxActivityTtl: number | undefined;
  readonly allowProfiles: boolean;
  readonly allowExecute: boolean;
  readonly allowScrapeInteract: boolean;
  readonly exposeCdpUrl: boolean;
  readonly allowInteractiveLiveView: boolean;
}

const { ttl, activityTtl } = createBrowserSession.body.properties;

const SWITCHES = [
  "allowProfiles",
  "allowExecute",
  "allowScrapeInteract",
  "exposeCdpUrl",
  "allowInteractiveLiveView",
] as const;

/**
 * Checks the caps against the spec's own bounds (a cap outside them is a configuration bug) and fills defaults. A
 * switch that is not a boolean is refused too: `allowExecute: "false"` (an unparsed env var) would otherwise be truthy
 * and turn the operation on.
 */
export function resolveLimits(limits: InteractProxyLimits = {}): ResolvedLimits {
  for (const name of SWITCHES) {
    const value: unknown = limits[name];
    if (value !== undefined && typeof value !== "boolean") {
      throw new TypeError(`firecrawl-interact: limits.${name} must be a boolean (got ${typeof value})`);
    }
  }
  if (limits.maxTtl !== undefined) assertValid(ttl, limits.maxTtl, "limits.maxTtl");
  if (limits.maxActivityTtl !== undefined) assertValid(activityTtl, limits.maxActivityTtl, "limits.maxActivityTtl");
  return {
    maxTtl: limits.maxTtl,
    maxActivityTtl: limits.maxActivityTtl,
    allowProfiles: limits.allowProfiles ?? false,
    allowExecute: limits.allowExecute ?? false,
    allowScrapeInteract: limits.allowScrapeInteract ?? false,
    exposeCdpUrl: limits.exposeCdpUrl ?? false,
    allowInteractiveLiveView: limits.allowInteractiveLiveView ?? true,
  };
}

/** The create body to forward after the limits, or the 403 to answer instead. */
export type LimitedCreate =
  | { readonly ok: true; readonly body: CreateSessionRequest }
  | { readonly ok: false; readonly response: Response };

/**
 * Applies the limits to an already-validated create body: a `profile` needs `allowProfiles`, and `ttl`/`activityTtl`
 * are clamped to their caps — an absent value becomes min(spec default, cap) so the spec default can't exceed it.
 */
export function limitCreateSession(body: CreateSessionRequest, limits: ResolvedLimits): LimitedCreate {
  if (body.profile !== undefined && !limits.allowProfiles) {
    return { ok: false, response: errorResponse(403, "forbidden", "Profiles are not allowed by this proxy") };
  }
  const limited: CreateSessionRequest = { ...body };
  if (limits.maxTtl !== undefined) limited.ttl = Math.min(body.ttl ?? ttl.default, limits.maxTtl);
  if (limits.maxActivityTtl !== undefined) {
    limited.activityTtl = Math.min(body.activityTtl ?? activityTtl.default, limits.maxActivityTtl);
  }
  return { ok: true, body: limited };
}

/** The 403 an operation gets while the limits leave it off, or null when it may be forwarded. */
export function operationForbidden(operationId: CanonicalOperationId, limits: ResolvedLimits): Response | null {
  switch (operationId) {
    case "executeBrowserCode":
      return limits.allowExecute
        ? null
        : errorResponse(403, "forbidden", "Executing code is not allowed by this proxy");
    case "interactWithScrapeBrowserSession":
    case "stopInteractiveScrapeBrowserSession":
      return limits.allowScrapeInteract
        ? null
        : errorResponse(403, "forbidden", "Interacting with scrapes is not allowed by this proxy");
    default:
      return null;
  }
}
