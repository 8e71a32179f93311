/**
 * `npm run bench`: every measurement next to its reference, in one run. Prints a markdown table and
 * writes bench/results.json. Flags: `--reps <n>` (default 5), `--only <part,…>` (e.g. `--only bundle,codegen`).
 */
import { writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { resolveChromium } from "firecrawl-interact-emulator";
import { type BundleResult, benchBundle, bundleRows } from "./bundle.js";
import { benchCodegen, type CodegenResult, codegenRows } from "./codegen.js";
import { type EmulatorProcess, startEmulatorProcess } from "./emulator-process.js";
import { describeEnvironment } from "./environment.js";
import { benchLeaks, type LeakResult, leakRows } from "./leaks.js";
import { foreignShare, OwnCpuSampler } from "./noise.js";
import { startPageServer } from "./pages.js";
import { renderTable, type TableRow } from "./report.js";
import { benchScale, type ScaleResult, scaleRows } from "./scale.js";
import { benchSessionStart, type SessionStartResult, sessionStartRows } from "./session-start.js";
import { benchStream, type StreamResult, streamRows } from "./stream.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const PARTS = ["start", "stream", "scale", "codegen", "bundle", "leaks"] as const;
type Part = (typeof PARTS)[number];
const SCALE_LEVELS = [1, 2, 4, 8] as const;
const MAX_SESSIONS = 8;
const LEAK_CYCLES = 50;

const { values } = parseArgs({
  options: { reps: { type: "string", default: "5" }, only: { type: "string" }, out: { type: "string" } },
});
const reps = Math.max(1, Number(values.reps) || 5);
const only = new Set(
  (values.only?.split(",") ?? PARTS).filter((p): p is Part => (PARTS as readonly string[]).includes(p)),
);
const outFile = values.out ? resolve(values.out) : join(here, "results.json");

interface Results {
  start?: SessionStartResult;
  stream?: StreamResult;
  scale?: ScaleResult;
  codegen?: CodegenResult;
  bundle?: BundleResult;
  leaks?: LeakResult;
}

const results: Results = {};
const rows: TableRow[] = [];
const errors: { part: Part; error: string }[] = [];
const timings: Partial<Record<Part, number>> = {};
/** Share of the machine's CPU used by other processes while each part ran: the noise floor of its numbers. */
const foreignCpu: Partial<Record<Part, number>> = {};
const sampler = new OwnCpuSampler();
sampler.start();

const percent = (share: number | undefined) =>
  share === undefined || Number.isNaN(share) ? "n/a" : `${Math.round(share * 100)}%`;

/** Runs one part; a failure is recorded and printed, and the other parts still run. */
async function part<K extends Part>(
  name: K,
  run: () => Promise<NonNullable<Results[K]>>,
  toRows: (r: NonNullable<Results[K]>) => TableRow[],
) {
  if (!only.has(name)) return;
  const started = performance.now();
  const cpuBefore = sampler.snapshot();
  process.stderr.write(`bench: ${name}…`);
  try {
    const result = await run();
    results[name] = result;
    rows.push(...toRows(result));
    const share = foreignShare(cpuBefore, sampler.snapshot());
    foreignCpu[name] = Math.round(share * 100) / 100;
    process.stderr.write(
      ` ${Math.round(performance.now() - started)} ms, other processes used ${percent(share)} CPU\n`,
    );
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    errors.push({ part: name, error: text });
    process.stderr.write(` FAILED: ${text}\n`);
  }
  timings[name] = Math.round(performance.now() - started);
}

const started = performance.now();
const chromium = await resolveChromium();
const environment = await describeEnvironment(chromium.path);
const pages = await startPageServer();
const emulators: EmulatorProcess[] = [];
const emulator = async (warmPool: number) => {
  const started = await startEmulatorProcess({ warmPool, maxSessions: MAX_SESSIONS });
  emulators.push(started);
  return started;
};
try {
  const needsWarm = ["start", "stream", "scale", "leaks"].some((p) => only.has(p as Part));
  const warm = needsWarm ? await emulator(1) : undefined;
  await part("bundle", benchBundle, bundleRows);
  await part("codegen", () => benchCodegen(root, reps), codegenRows);
  if (warm) {
    await part(
      "start",
      async () => {
        const cold = await emulator(0);
        try {
          return await benchSessionStart(warm, cold, chromium.path, reps);
        } finally {
          await cold.close();
        }
      },
      sessionStartRows,
    );
    await part(
      "stream",
      () => benchStream(warm, pages, chromium.path, { rounds: 2, seconds: 3, clicks: Math.max(10, reps * 2) }),
      streamRows,
    );
    await part(
      "scale",
      () => benchScale(warm, pages, SCALE_LEVELS, 3),
      (r) => scaleRows(r, MAX_SESSIONS),
    );
    await part("leaks", () => benchLeaks(warm, LEAK_CYCLES), leakRows);
  }
} finally {
  sampler.stop();
  await Promise.allSettled(emulators.map((e) => e.close()));
  await pages.close();
}

rows.sort((a, b) => a.part - b.part);
const durationMs = Math.round(performance.now() - started);
const loadAtEnd = loadavg()[0] ?? Number.NaN;
console.log(
  `firecrawl-interact bench · ${environment.cpuCount}× ${environment.cpuModel} · Node ${environment.node} · ${environment.chromium}`,
);
console.log(
  `load average ${environment.loadAtStart.toFixed(1)} → ${loadAtEnd.toFixed(1)} on ${environment.cpuCount} cores · ${reps} reps · ${(durationMs / 1000).toFixed(0)} s\n`,
);
console.log(renderTable(rows));
console.log(
  `\nCPU used by other processes on this machine during each part (noise): ${PARTS.filter((p) => p in foreignCpu)
    .map((p) => `${p} ${percent(foreignCpu[p])}`)
    .join(", ")}`,
);
for (const { part: name, error } of errors) console.log(`\n${name} FAILED: ${error}`);
await writeFile(
  outFile,
  `${JSON.stringify({ generatedAt: new Date().toISOString(), durationMs, reps, environment: { ...environment, loadAtEnd }, timings, foreignCpu, results, errors, table: rows }, null, 2)}\n`,
);
console.log(`\nwrote ${outFile.startsWith(root) ? outFile.slice(root.length + 1) : outFile}`);
process.exitCode = errors.length > 0 ? 1 : 0;
