import { operations, scrapeOperations } from "../../generated/constraints.js";
import { type ErrorAnswer, errorAnswer, type InteractErrorCode } from "../core/error-body.js";

/**
 * How the next calls of an operation should fail: the emulator's `injectFault` shape (`POST /__emulator/faults`
 * takes the same body), so a test moves between the fake and the emulator unchanged.
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
  /** Wait this long first (alone: a slow but successful call); a timer, so fake timers must advance it. */
  delayMs?: number;
  /** Give no answer: the fetch rejects with a `TypeError`, as a browser's does when the connection drops. */
  drop?: boolean;
  /** Error code in the body (default depends on the status, as on the emulator). */
  code?: InteractErrorCode;
  /** Error message in the body. */
  error?: string;
}

/** What a matched fault asks the fake to do: wait, then answer normally, drop the call, or answer an error. */
export type FaultAction =
  | { readonly kind: "delay"; readonly delayMs: number }
  | { readonly kind: "drop"; readonly delayMs: number }
  | { readonly kind: "fail"; readonly delayMs: number; readonly answer: ErrorAnswer };

/** The emulator's default code for a faulted status. */
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

// The fake can fault the scrape too (the emulator routes POST /v2/scrape outside its fault table).
const OPERATION_IDS: readonly string[] = [...Object.keys(operations), ...Object.keys(scrapeOperations)];

/** Checks a fault as the emulator does and throws a `TypeError` naming the broken field. */
export function assertFaultSpec(spec: FaultSpec): void {
  const bad = (message: string) => new TypeError(`injectFault: ${message}`);
  if (typeof spec !== "object" || spec === null) throw bad("the fault must be an object");
  if (!OPERATION_IDS.includes(spec.operationId)) {
    throw bad(`operationId must be one of ${OPERATION_IDS.join(", ")}`);
  }
  const bounds: [keyof FaultSpec, number, number][] = [
    ["count", 1, 1000],
    ["status", 400, 599],
    ["retryAfter", 0, 86_400],
    ["delayMs", 0, 120_000],
  ];
  for (const [name, min, max] of bounds) {
    const value = spec[name];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
      throw bad(`${name} must be an integer from ${min} to ${max}`);
    }
  }
  if (spec.status === undefined && spec.delayMs === undefined && spec.drop !== true) {
    throw bad("a fault needs a status, a delayMs or drop: true");
  }
}

/** Queue of injected faults, consumed call by call in the order they were added. */
export class FaultQueue {
  private readonly faults: { spec: FaultSpec; left: number }[] = [];

  /** Adds a fault for the next `count` calls of an operation. */
  add(spec: FaultSpec): void {
    assertFaultSpec(spec);
    this.faults.push({ spec: { ...spec }, left: spec.count ?? 1 });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.faults.length = 0;
  }

  /** The faults still waiting, with the calls each has left. */
  pending(): { operationId: string; count: number; spec: FaultSpec }[] {
    return this.faults.map(({ spec, left }) => ({ operationId: spec.operationId, count: left, spec: { ...spec } }));
  }

  /** Consumes one call of the first fault matching this operation (or its canonical id), if any. */
  take(operationId: string, canonicalId: string): FaultAction | undefined {
    const index = this.faults.findIndex(({ spec }) => [operationId, canonicalId].includes(spec.operationId));
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
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
