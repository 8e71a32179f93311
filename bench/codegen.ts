/** Part 4: `npm run generate` against bare `npx openapi-typescript` on the same spec, interleaved runs. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandRun, timeCommand } from "./commands.js";
import { formatMsSummary, formatRatio, type TableRow, verdict } from "./report.js";
import { ratio, type Summary, summarize } from "./stats.js";

/** Wall time of a command, and the part of it the tool itself reports as its own work (the rest is start-up). */
export interface CommandTiming {
  readonly wall: Summary;
  /** What the tool prints as its own duration: spec parse + generation + write, without process start-up. */
  readonly work: Summary;
}

/** Wall times of both commands. */
export interface CodegenResult {
  /** `npm run generate`: types plus the constraints module, through tsx. */
  readonly generate: CommandTiming;
  /** `npx openapi-typescript openapi/firecrawl-v2.yaml -o <tmp>`: types only. */
  readonly openapiTypescript: CommandTiming;
  /** Profile: an empty script under `tsx` (what `npm run generate` starts) vs plain `node` (what the CLI starts). */
  readonly startup: { readonly tsx: Summary; readonly node: Summary };
}

/** Reads the duration a tool printed: `generate: no change (215 ms)` or openapi-typescript's `[175.2ms]`. */
export function reportedMs(stdout: string): number {
  const match = /\((\d+(?:\.\d+)?) ms\)|\[(\d+(?:\.\d+)?)ms\]/.exec(stdout);
  return Number(match?.[1] ?? match?.[2] ?? Number.NaN);
}

const timing = (runs: readonly CommandRun[]): CommandTiming => ({
  wall: summarize(runs.map((run) => run.ms)),
  work: summarize(runs.map((run) => reportedMs(run.stdout))),
});

/** Times `runs` interleaved pairs after one discarded warm-up pair (cold disk caches would favour the second). */
export async function benchCodegen(root: string, runs: number): Promise<CodegenResult> {
  const dir = await mkdtemp(join(tmpdir(), "fci-bench-codegen-"));
  const generate = () => timeCommand("npm", ["run", "generate"], root);
  const bare = () =>
    timeCommand("npx", ["openapi-typescript", "openapi/firecrawl-v2.yaml", "-o", join(dir, "schema.d.ts")], root);
  try {
    await generate();
    await bare();
    const ours: CommandRun[] = [];
    const reference: CommandRun[] = [];
    const tsxStart: number[] = [];
    const nodeStart: number[] = [];
    for (let i = 0; i < runs; i++) {
      if (i < 3) {
        tsxStart.push((await timeCommand(join(root, "node_modules/.bin/tsx"), ["-e", ""], root)).ms);
        nodeStart.push((await timeCommand(process.execPath, ["-e", ""], root)).ms);
      }
      // Alternate which goes first so a load spike does not always land on the same side.
      if (i % 2 === 0) {
        ours.push(await generate());
        reference.push(await bare());
      } else {
        reference.push(await bare());
        ours.push(await generate());
      }
    }
    return {
      generate: timing(ours),
      openapiTypescript: timing(reference),
      startup: { tsx: summarize(tsxStart), node: summarize(nodeStart) },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The codegen target: our generator at most 1.5× the bare openapi-typescript CLI. */
export const CODEGEN_TARGET_RATIO = 1.5;

/** Table rows: wall time side by side, then the tools' own work time (the rest is process start-up). */
export function codegenRows(result: CodegenResult): TableRow[] {
  const wallRatio = ratio(result.generate.wall.median, result.openapiTypescript.wall.median);
  return [
    {
      part: 4,
      measurement: "codegen: `npm run generate` vs `npx openapi-typescript`",
      ours: formatMsSummary(result.generate.wall),
      reference: formatMsSummary(result.openapiTypescript.wall),
      ratio: formatRatio(wallRatio),
      target: `≤ ${CODEGEN_TARGET_RATIO}`,
      met: verdict(wallRatio <= CODEGEN_TARGET_RATIO),
    },
    {
      part: 4,
      measurement: "  codegen: work the tools report (no start-up)",
      ours: formatMsSummary(result.generate.work),
      reference: formatMsSummary(result.openapiTypescript.work),
      ratio: formatRatio(ratio(result.generate.work.median, result.openapiTypescript.work.median)),
      target: "—",
      met: "—",
    },
    {
      part: 4,
      measurement: "  profile: empty script under `tsx` vs plain `node` (start-up)",
      ours: formatMsSummary(result.startup.tsx),
      reference: formatMsSummary(result.startup.node),
      ratio: formatRatio(ratio(result.startup.tsx.median, result.startup.node.median)),
      target: "—",
      met: "—",
    },
  ];
}
