import { readdirSync, readFileSync } from "node:fs";

/**
 * The pids of the live processes (zombies left out) that `select` picks, read from /proc (empty off Linux). `select`
 * gets the fields of `/proc/<pid>/stat` after the parenthesised command (state ppid pgrp …); if it throws (the
 * process ended, or is not ours to read), the process is skipped.
 */
export function liveProcesses(select: (pid: number, stat: readonly string[]) => boolean): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return fields[0] !== "Z" && select(Number(entry), fields) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** Lists the pids of every live process in a process group, read from /proc (empty off Linux). */
export const processGroupMembers = (pgid: number): number[] => liveProcesses((_pid, stat) => Number(stat[2]) === pgid);
