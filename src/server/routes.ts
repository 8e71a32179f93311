import { matchOperation, type OperationMatch } from "../core/operations.js";
import { isValidParam } from "../core/validate.js";

/**
 * Resolves an already-parsed URL pathname against the spec's operations below `basePath`; a path parameter that
 * breaks its operation's schema (a `{sessionId}` that is not a valid id, a `{jobId}` that is not a uuid) is no route
 * at all. Percent-encoded, empty (`//`) or dot segments never match, because no literal segment, session id or uuid
 * contains them.
 */
export function matchRoute(pathname: string, basePath: string, method: string): OperationMatch {
  if (!pathname.startsWith(`${basePath}/`)) return { kind: "none" };
  return matchOperation(method, pathname.slice(basePath.length), isValidParam);
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
