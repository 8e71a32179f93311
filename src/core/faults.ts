import { type ErrorAnswer, errorAnswer, type InteractErrorCode } from "./error-body.js";

/**
 * How the next calls of an operation should fail: the shape of the emulator's `injectFault` (and of
 * `POST /__emulator/faults`) and of the testing fake's, so a test moves between the two unchanged.
 */
export interface FaultSpec {
  /** Operation id of the spec; a canonical id (`createBrowserSession`) also hits its `/browser` alias. */
  operationId: string;
  /** How many calls to affect (default 1). */
  count?: number;
  /** Answer with this status instead of running the operation (e.g. 429, 502). */
  status?: number;
  /** `Retry-After` seconds to send with the status. */
  retryAfter?: number;
  /** Wait this long first (alone: a slow but successful call). */
  delayMs?: number;
  /** Give no answer: the connection is dropped (after `delayMs`). */
  drop?: boolean;
  /** Error code in the body (default depends on the status). */
  code?: InteractErrorCode;
  /** Error message in the body. */
  error?: string;
}

/** A fault still waiting for calls, with how many it has left. */
export interface PendingFault extends Required<Pick<FaultSpec, "operationId" | "count">> {
  spec: FaultSpec;
}

/** What a matched fault asks for: wait and then answer normally, drop the call, or answer an error. */
export type FaultAction =
  | { readonly kind: "delay"; readonly delayMs: number }
  | { readonly kind: "drop"; readonly delayMs: number }
  | { readonly kind: "fail"; readonly delayMs: number; readonly answer: ErrorAnswer };

/** The code a faulted status gets unless the fault names one. */
const DEFAULT_CODES: Readonly<Record<number, InteractErrorCode>> = {
  400: "BAD_REQUEST",
  401: "unauthorized",
  402: "payment_required",
  403: "forbidden",
  404: "not_found",
  409: "profile_busy",
  410: "session_destroyed",
  429: "rate_limited",
  500: "internal_error",
  502: "browser_failed",
  503: "unavailable",
  504: "timeout",
};

/** The field of a fault spec that is wrong, and why. */
export interface FaultSpecProblem {
  readonly field: string;
  readonly message: string;
}

const BOUNDS: readonly [keyof FaultSpec, number, number][] = [
  ["count", 1, 1000],
  ["status", 400, 599],
  ["retryAfter", 0, 86_400],
  ["delayMs", 0, 120_000],
];

/** What is wrong with a fault spec for these operations, or null when it is a valid one. */
export function faultSpecProblem(value: unknown, operationIds: readonly string[]): FaultSpecProblem | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { field: "body", message: "the fault must be an object" };
  }
  const spec = value as Record<string, unknown>;
  if (typeof spec.operationId !== "string" || !operationIds.includes(spec.operationId)) {
    return { field: "operationId", message: `operationId must be one of ${operationIds.join(", ")}` };
  }
  for (const [name, min, max] of BOUNDS) {
    const field = spec[name];
    if (
      field !== undefined &&
      !(typeof field === "number" && Number.isInteger(field) && field >= min && field <= max)
    ) {
      return { field: name, message: `${name} must be an integer from ${min} to ${max}` };
    }
  }
  if (spec.drop !== undefined && typeof spec.drop !== "boolean")
    return { field: "drop", message: "drop must be a boolean" };
  for (const name of ["code", "error"]) {
    if (spec[name] !== undefined && typeof spec[name] !== "string") {
      return { field: name, message: `${name} must be a string` };
    }
  }
  if (spec.status === undefined && spec.delayMs === undefined && spec.drop !== true) {
    return { field: "status", message: "a fault needs a status, a delayMs or drop: true" };
  }
  return null;
}

/** Queue of injected faults, consumed call by call in the order they were added; specs are checked before. */
export class FaultQueue {
  private readonly faults: PendingFault[] = [];

  /** Adds an already-checked fault for the next `count` calls of an operation. */
  add(spec: FaultSpec): void {
    this.faults.push({ operationId: spec.operationId, count: spec.count ?? 1, spec: { ...spec } });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.faults.length = 0;
  }

  /** The faults still waiting, with their remaining counts. */
  pending(): PendingFault[] {
    return this.faults.map((fault) => ({ ...fault, spec: { ...fault.spec } }));
  }

  /** Consumes one call of the first fault matching this operation (or its canonical id), if any. */
  take(operationId: string, canonicalId: string): FaultAction | undefined {
    const index = this.faults.findIndex((fault) => [operationId, canonicalId].includes(fault.operationId));
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    const { spec } = fault;
    const delayMs = spec.delayMs ?? 0;
    if (spec.drop) return { kind: "drop", delayMs };
    if (spec.status === undefined) return { kind: "delay", delayMs };
    const headers: Record<string, string> =
      spec.retryAfter === undefined ? {} : { "Retry-After": String(spec.retryAfter) };
    const code = spec.code ?? DEFAULT_CODES[spec.status] ?? "injected_fault";
    const message = spec.error ?? `Injected fault: ${spec.status} for ${operationId}`;
    return { kind: "fail", delayMs, answer: errorAnswer(spec.status, code, message, undefined, headers) };
  }
}
