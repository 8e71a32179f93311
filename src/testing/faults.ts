import { operations, scrapeOperations } from "../../generated/constraints.js";
import { FaultQueue, type FaultSpec, faultSpecProblem } from "../core/faults.js";

export { FaultQueue, type FaultSpec };

// The fake can fault the scrape too (the emulator routes POST /v2/scrape outside its fault table).
const OPERATION_IDS: readonly string[] = [...Object.keys(operations), ...Object.keys(scrapeOperations)];

/** Checks a fault as the emulator does and throws a `TypeError` naming what is wrong. */
export function assertFaultSpec(spec: FaultSpec): void {
  const problem = faultSpecProblem(spec, OPERATION_IDS);
  if (problem) throw new TypeError(`injectFault: ${problem.message}`);
}
