import { type InteractErrorCode, operations } from "firecrawl-interact/core";
import { EmulatorHttpError } from "../errors.js";

/** How the next calls of an operation should fail. */
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
  /** Destroy the connection without answering (after delayMs). */
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

const OPERATION_IDS = new Set<string>(Object.keys(operations));

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

/** Checks a fault spec coming from the admin route or code; throws a 400 naming the broken field. */
export function parseFaultSpec(value: unknown): FaultSpec {
  const bad = (field: string, message: string) =>
    new EmulatorHttpError(400, "BAD_REQUEST", message, { field, rule: "type" });
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad("body", "body must be an object");
  const spec = value as Record<string, unknown>;
  if (typeof spec.operationId !== "string" || !OPERATION_IDS.has(spec.operationId)) {
    throw bad("operationId", `operationId must be one of ${[...OPERATION_IDS].join(", ")}`);
  }
  const integer = (name: string, min: number, max: number) => {
    const field = spec[name];
    if (field === undefined) return;
    if (typeof field !== "number" || !Number.isInteger(field) || field < min || field > max) {
      throw bad(name, `${name} must be an integer from ${min} to ${max}`);
    }
  };
  integer("count", 1, 1000);
  integer("status", 400, 599);
  integer("retryAfter", 0, 86_400);
  integer("delayMs", 0, 120_000);
  if (spec.drop !== undefined && typeof spec.drop !== "boolean") throw bad("drop", "drop must be a boolean");
  for (const name of ["code", "error"]) {
    if (spec[name] !== undefined && typeof spec[name] !== "string") throw bad(name, `${name} must be a string`);
  }
  if (spec.status === undefined && spec.delayMs === undefined && spec.drop !== true) {
    throw bad("status", "a fault needs a status, a delayMs or drop: true");
  }
  return spec as unknown as FaultSpec;
}

/** What a matched fault asks the HTTP layer to do. */
export type FaultAction =
  | { kind: "delay"; delayMs: number }
  | { kind: "drop"; delayMs: number }
  | { kind: "fail"; delayMs: number; error: EmulatorHttpError };

/** Queue of injected faults, consumed call by call in the order they were added. */
export class FaultRegistry {
  private readonly faults: PendingFault[] = [];

  /** Adds a fault for the next `count` calls of an operation. */
  add(spec: FaultSpec): void {
    const checked = parseFaultSpec(spec);
    this.faults.push({ operationId: checked.operationId, count: checked.count ?? 1, spec: checked });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.faults.length = 0;
  }

  /** The faults still waiting, with their remaining counts. */
  pending(): PendingFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Consumes one call of the first fault matching this operation (or its canonical id), if any. */
  take(operationId: string, canonicalId: string): FaultAction | undefined {
    const index = this.faults.findIndex(
      (fault) => fault.operationId === operationId || fault.operationId === canonicalId,
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    const { spec } = fault;
    const delayMs = spec.delayMs ?? 0;
    if (spec.drop) return { kind: "drop", delayMs };
    if (spec.status === undefined) return { kind: "delay", delayMs };
    const error = new EmulatorHttpError(
      spec.status,
      spec.code ?? DEFAULT_CODES[spec.status] ?? "injected_fault",
      spec.error ?? `Injected fault: ${spec.status} for ${operationId}`,
      undefined,
      spec.retryAfter,
    );
    return { kind: "fail", delayMs, error };
  }
}
