/** What the numbers were measured on: printed above the table and stored in results.json. */
import { execFile } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { promisify } from "node:util";

/** The machine, runtime and browser of a bench run. */
export interface BenchEnvironment {
  readonly node: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryMb: number;
  readonly chromium: string;
  /** 1-minute load average when the run started; above cpuCount means other work competed for the CPU. */
  readonly loadAtStart: number;
}

/** Collects the environment (runs `chromium --version` once). */
export async function describeEnvironment(chromiumPath: string): Promise<BenchEnvironment> {
  const { stdout } = await promisify(execFile)(chromiumPath, ["--version"]).catch(() => ({ stdout: "unknown" }));
  const cores = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    cpuCount: cores.length,
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    chromium: stdout.trim(),
    loadAtStart: loadavg()[0] ?? Number.NaN,
  };
}
