import { operations, scrapeOperations } from "../../generated/constraints.js";
import {
  type CanonicalOperationId,
  type InteractOperation,
  matchOperation,
  type OperationMatch,
  type ScrapeOperation,
} from "../core/operations.js";
import { isValidParam } from "../core/validate.js";

/** An operation the proxy can forward: an interact operation of the spec, or a scrape. */
export type ProxiedOperation = InteractOperation | ScrapeOperation;

/** The canonical id of a forwarded operation (an alias's is the operation it stands for). */
export type ProxiedOperationId = CanonicalOperationId<ProxiedOperation["operationId"]>;

/** Every operation the proxy can forward, by operationId: the interact ones, then the scrape ones. */
const PROXIED_OPERATIONS: Readonly<Record<string, ProxiedOperation>> = { ...operations, ...scrapeOperations };

/**
 * Resolves an already-parsed URL pathname against the spec's operations below `basePath`; a path parameter that
 * breaks its operation's schema (a `{sessionId}` that is not a valid id, a `{jobId}` that is not a uuid) is no route
 * at all. Percent-encoded, empty (`//`) or dot segments never match, because no literal segment, session id or uuid
 * contains them.
 */
export function matchRoute(pathname: string, basePath: string, method: string): OperationMatch<ProxiedOperation> {
  if (!pathname.startsWith(`${basePath}/`)) return { kind: "none" };
  return matchOperation(method, pathname.slice(basePath.length), isValidParam, PROXIED_OPERATIONS);
}

/** Normalises a base path to `/a/b` form (no trailing slash; `""` for the root) and rejects anything but plain segments. */
export function normalizeBasePath(basePath: string): string {
  const inner = basePath.replace(/^\/+|\/+$/g, "");
  if (inner === "") return "";
  const trimmed = `/${inner}`;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed) || /\/\.\.?(\/|$)/.test(trimmed)) {
    throw new TypeError(`firecrawl-interact: basePath must be a plain path like "/api/firecrawl" (got "${basePath}")`);
  }
  return trimmed;
}
