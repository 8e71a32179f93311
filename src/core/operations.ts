import { type OperationConstraint, operations } from "../../generated/constraints.js";

/** The operation id of an operation of the spec, e.g. `createBrowserSession` or `deleteBrowserSessionAlias`. */
export type InteractOperationId = keyof typeof operations;

/** An operation of the spec (aliases included). */
export type InteractOperation = (typeof operations)[InteractOperationId];

/** HTTP method of an operation. */
export type InteractMethod = OperationConstraint["method"];

/** What a method and a path below the API root resolved to. */
export type OperationMatch =
  | {
      readonly kind: "operation";
      readonly operation: InteractOperation;
      /** Path parameters by name, raw (never percent-decoded). */
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly kind: "wrong-method"; readonly allow: readonly InteractMethod[] }
  | { readonly kind: "none" };

const PARAM = /^\{(\w+)\}$/;

const ROUTES = Object.values(operations).map((operation: InteractOperation) => ({
  operation,
  segments: operation.path.split("/").slice(1),
}));

/**
 * Matches a method and a path below the API root (`/interact/abc/execute`) to an operation of the spec: literal
 * segments exactly, a `{param}` to any one non-empty segment that `acceptParam` accepts for that operation (default:
 * any; callers that answer 400 for a bad id validate it afterwards). A known path with another method is `wrong-method` with the
 * methods it allows.
 */
export function matchOperation(
  method: string,
  path: string,
  acceptParam: (operation: InteractOperation, name: string, value: string) => boolean = () => true,
): OperationMatch {
  const segments = path.split("/").slice(1);
  const allow: InteractMethod[] = [];
  for (const { operation, segments: template } of ROUTES) {
    if (!path.startsWith("/") || template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = template.every((part, index) => {
      const actual = segments[index] as string;
      const name = PARAM.exec(part)?.[1];
      if (name === undefined) return part === actual;
      params[name] = actual;
      return actual !== "" && acceptParam(operation, name, actual);
    });
    if (!matched) continue;
    if (operation.method === method) return { kind: "operation", operation, params };
    if (!allow.includes(operation.method)) allow.push(operation.method);
  }
  return allow.length > 0 ? { kind: "wrong-method", allow } : { kind: "none" };
}

/** The operation an alias stands for (`createBrowserSessionAlias` → `createBrowserSession`); others map to themselves. */
export type CanonicalOperationId<T extends InteractOperationId = InteractOperationId> = T extends `${infer Base}Alias`
  ? Base
  : T;

/** The canonical id of an operation, so `/browser` and `/interact` share one behaviour. */
export const canonicalOperationId = <T extends InteractOperationId>(operationId: T): CanonicalOperationId<T> =>
  operationId.replace(/Alias$/, "") as CanonicalOperationId<T>;
