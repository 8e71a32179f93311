/** Timing whole shell commands, the way a developer experiences them (npm/npx start-up included). */
import { spawn } from "node:child_process";

/** Wall time of one command and what it printed. */
export interface CommandRun {
  readonly ms: number;
  readonly stdout: string;
}

/** Runs a command to completion and resolves with its wall time; rejects on a non-zero exit. */
export function timeCommand(command: string, args: readonly string[], cwd: string): Promise<CommandRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve({ ms: performance.now() - started, stdout: stdout + stderr });
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
