import { operations } from "../../generated/constraints.js";

/** An operation id of the spec (`createBrowserSession`, `deleteBrowserSessionAlias`, …). */
export type OperationId = (typeof operations)[number]["operationId"];

/** The four things the API can do; each alias path maps onto one of them. */
export type OperationKind = "create" | "list" | "execute" | "delete";

/** A request matched to an operation of the spec. */
export interface RouteMatch {
  operationId: OperationId;
  /** The operation without its `Alias` suffix, so `/browser` and `/interact` share behaviour. */
  canonicalId: string;
  kind: OperationKind;
  /** Decoded path parameters by name (`sessionId`). */
  params: Record<string, string>;
}

/** Outcome of {@link matchRoute}: a match, a known path with another method (405), or nothing (404). */
export type RouteResult = { match: RouteMatch } | { allow: string[] } | null;

const KIND_BY_CANONICAL: Record<string, OperationKind> = {
  createBrowserSession: "create",
  listBrowserSessions: "list",
  executeBrowserCode: "execute",
  deleteBrowserSession: "delete",
};

interface CompiledRoute {
  operationId: OperationId;
  canonicalId: string;
  kind: OperationKind;
  method: string;
  pattern: RegExp;
  names: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Compiled once from the generated operation list: a new alias in the spec becomes a route here.
const ROUTES: CompiledRoute[] = operations.flatMap((operation) => {
  const canonicalId = operation.operationId.replace(/Alias$/, "");
  const kind = KIND_BY_CANONICAL[canonicalId];
  if (!kind) return [];
  const names: string[] = [];
  const source = operation.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (!name) return escapeRegExp(part);
      names.push(name);
      return "([^/]+)";
    })
    .join("");
  return [
    {
      operationId: operation.operationId,
      canonicalId,
      kind,
      method: operation.method,
      pattern: new RegExp(`^${source}/?$`),
      names,
    },
  ];
});

/** Matches a method and a path below `/v2` (e.g. `/interact/abc/execute`) to an operation of the spec. */
export function matchRoute(method: string, path: string): RouteResult {
  const allow: string[] = [];
  for (const route of ROUTES) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    if (route.method !== method) {
      allow.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      const raw = found[index + 1] ?? "";
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { match: { operationId: route.operationId, canonicalId: route.canonicalId, kind: route.kind, params } };
  }
  return allow.length > 0 ? { allow } : null;
}
