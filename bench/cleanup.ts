/**
 * Process groups the bench started, killed on every way out: normal end, failure, Ctrl-C, or process exit.
 * Only groups registered here are ever signalled: other helpers' browsers on this machine are left alone.
 */

const groups = new Set<number>();
let installed = false;

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // ESRCH: already gone.
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  // Synchronous on purpose: "exit" listeners cannot await.
  process.on("exit", () => {
    for (const pgid of groups) killGroup(pgid);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const pgid of groups) killGroup(pgid);
      process.exit(130);
    });
  }
}

/** Remembers a process group (a detached child's pid) to kill if the bench ends before releasing it. */
export function trackProcessGroup(pgid: number): void {
  install();
  groups.add(pgid);
}

/** Kills a tracked process group now (SIGKILL) and forgets it. */
export function killProcessGroup(pgid: number): void {
  killGroup(pgid);
  groups.delete(pgid);
}
