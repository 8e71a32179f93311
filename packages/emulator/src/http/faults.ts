import { FaultQueue, type FaultSpec, faultSpecProblem, operations, type PendingFault } from "firecrawl-interact/core";
import { EmulatorHttpError } from "../errors.js";

export type { FaultSpec, PendingFault };

const OPERATION_IDS: readonly string[] = Object.keys(operations);

/** Checks a fault spec coming from the admin route or code; throws a 400 naming the broken field. */
export function parseFaultSpec(value: unknown): FaultSpec {
  const problem = faultSpecProblem(value, OPERATION_IDS);
  if (problem) throw new EmulatorHttpError(400, "BAD_REQUEST", problem.message, { field: problem.field, rule: "type" });
  return value as FaultSpec;
}

/** What a matched fault asks the HTTP layer to do. */
export type FaultAction =
  | { kind: "delay"; delayMs: number }
  | { kind: "drop"; delayMs: number }
  | { kind: "fail"; delayMs: number; error: EmulatorHttpError };

/** The core's fault queue, its specs checked as the admin route checks them and its answers thrown as HTTP errors. */
export class FaultRegistry {
  private readonly queue = new FaultQueue();

  /** Adds a fault for the next `count` calls of an operation. */
  add(spec: FaultSpec): void {
    this.queue.add(parseFaultSpec(spec));
  }

  /** Removes every pending fault. */
  clear(): void {
    this.queue.clear();
  }

  /** The faults still waiting, with their remaining counts. */
  pending(): PendingFault[] {
    return this.queue.pending();
  }

  /** Consumes one call of the first fault matching this operation (or its canonical id), if any. */
  take(operationId: string, canonicalId: string): FaultAction | undefined {
    const action = this.queue.take(operationId, canonicalId);
    if (action?.kind !== "fail") return action;
    return { kind: "fail", delayMs: action.delayMs, error: EmulatorHttpError.from(action.answer) };
  }
}
