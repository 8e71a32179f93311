import { type OperationConstraint, operations, type scrapeOperations } from "../../generated/constraints.js";

/** The operation id of an operation of the spec, e.g. `createBrowserSession` or `deleteBrowserSessionAlias`. */
export type InteractOperationId = keyof typeof operations;

/** An operation of the spec (aliases included). */
export type InteractOperation = (typeof operations)[InteractOperationId];

/** The operation id of a scrape operation of the spec: `scrapeAndExtractFromUrl` or `getScrapeStatus`. */
export type ScrapeOperationId = keyof typeof scrapeOperations;

/** A scrape operation of the spec: the scrape that makes a job, or its status. */
export type ScrapeOperation = (typeof scrapeOperations)[ScrapeOperationId];

/** HTTP method of an operation. */
export type InteractMethod = OperationConstraint["method"];

/** What a method and a path below the API root resolved to, among the interact operations or another table. */
export type OperationMatch<Operation extends OperationConstraint = InteractOperation> =
  | {
      readonly kind: "operation";
      readonly operation: Operation;
      /** Path parameters by name, raw (never percent-decoded). */
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly kind: "wrong-method"; readonly allow: readonly InteractMethod[] }
  | { readonly kind: "none" };

const PARAM = /^\{(\w+)\}$/;

/** The operations of a table with their path templates cut into segments, computed once per table. */
const routeTables = new WeakMap<object, readonly { operation: OperationConstraint; segments: string[] }[]>();
function routesOf<Operation extends OperationConstraint>(table: Readonly<Record<string, Operation>>) {
  let routes = routeTables.get(table);
  if (!routes) {
    routes = Object.values(table).map((operation) => ({ operation, segments: operation.path.split("/").slice(1) }));
    routeTables.set(table, routes);
  }
  return routes as readonly { operation: Operation; segments: string[] }[];
}

/**
 * Matches a method and a path below the API root (`/interact/abc/execute`) to an operation of the spec: literal
 * segments exactly, a `{param}` to any one non-empty segment that `acceptParam` accepts for that operation (default:
 * any; callers that answer 400 for a bad id validate it afterwards). A known path with another method is `wrong-method` with the
 * methods it allows. `table` is the interact operations unless given (e.g. with `scrapeOperations` in it).
 */
export function matchOperation<Operation extends OperationConstraint = InteractOperation>(
  method: string,
  path: string,
  acceptParam: (operation: Operation, name: string, value: string) => boolean = () => true,
  table: Readonly<Record<string, Operation>> = operations as unknown as Readonly<Record<string, Operation>>,
): OperationMatch<Operation> {
  const segments = path.split("/").slice(1);
  const allow: InteractMethod[] = [];
  for (const { operation, segments: template } of routesOf(table)) {
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
export type CanonicalOperationId<T extends string = InteractOperationId> = T extends `${infer Base}Alias` ? Base : T;

/** The canonical id of an operation, so `/browser` and `/interact` share one behaviour. */
export const canonicalOperationId = <T extends string>(operationId: T): CanonicalOperationId<T> =>
  operationId.replace(/Alias$/, "") as CanonicalOperationId<T>;
