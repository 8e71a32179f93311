import { type OperationConstraint, operations } from "../../generated/constraints.js";
import { validateSessionId } from "../client/validate.js";

/** An operation of the spec that the proxy forwards. */
export type InteractOperation = (typeof operations)[number];

/** The operation id of a forwarded operation, e.g. `createBrowserSession`. */
export type InteractOperationId = InteractOperation["operationId"];

/** HTTP method of a forwarded operation. */
export type InteractMethod = OperationConstraint["method"];

/** What a request path under `basePath` resolved to. */
export type RouteMatch =
  | { readonly kind: "operation"; readonly operation: InteractOperation; readonly sessionId: string | undefined }
  | { readonly kind: "wrong-method"; readonly allow: readonly InteractMethod[] }
  | { readonly kind: "none" };

interface Route {
  readonly segments: readonly string[];
  readonly operation: InteractOperation;
}

const PARAM = /^\{(\w+)\}$/;

// Every operation of the spec is a route, /browser aliases included: they are the same operations under older names.
const ROUTES: readonly Route[] = operations.map((operation) => ({
  segments: operation.path.split("/").slice(1),
  operation,
}));

const isSessionId = (value: string): boolean => {
  try {
    validateSessionId(value);
    return true;
  } catch {
    return false;
  }
};

/** Matches one route: literal segments exactly (case and encoding included), `{sessionId}` only to a valid id. */
function matchSegments(route: Route, segments: readonly string[]): { sessionId: string | undefined } | null {
  if (route.segments.length !== segments.length) return null;
  let sessionId: string | undefined;
  for (const [index, template] of route.segments.entries()) {
    const actual = segments[index] as string;
    if (PARAM.test(template)) {
      if (!isSessionId(actual)) return null;
      sessionId = actual;
    } else if (template !== actual) {
      return null;
    }
  }
  return { sessionId };
}

/**
 * Resolves an already-parsed URL pathname against the spec's operations below `basePath`.
 * Percent-encoded, empty (`//`) or dot segments never match, because no literal segment or session id contains them.
 */
export function matchRoute(pathname: string, basePath: string, method: string): RouteMatch {
  if (!pathname.startsWith(`${basePath}/`)) return { kind: "none" };
  const segments = pathname.slice(basePath.length + 1).split("/");
  const allow: InteractMethod[] = [];
  for (const route of ROUTES) {
    const matched = matchSegments(route, segments);
    if (!matched) continue;
    if (route.operation.method === method) {
      return { kind: "operation", operation: route.operation, sessionId: matched.sessionId };
    }
    if (!allow.includes(route.operation.method)) allow.push(route.operation.method);
  }
  return allow.length > 0 ? { kind: "wrong-method", allow } : { kind: "none" };
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
