import { existsSync, readdirSync, readFileSync } from "node:fs";

/** Whether this machine has /proc to scan (Linux); elsewhere the scans below find nothing. */
export const canScanProcesses = (): boolean => existsSync("/proc/self/stat");

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

/**
 * Whether a process started with `entry` (`NAME=value`) in its environment; throws when /proc/<pid>/environ cannot
 * be read (so {@link liveProcesses} skips it). A process keeps the environment it was started with across `setsid`.
 */
export const environHas = (pid: number, entry: string): boolean =>
  readFileSync(`/proc/${pid}/environ`).includes(Buffer.from(`${entry}\0`));

/** Live processes (not this one) whose environment holds `entry` (`NAME=value`), read from /proc (empty off Linux). */
export const processesWithEnv = (entry: string): number[] =>
  liveProcesses((pid) => pid !== process.pid && environHas(pid, entry));
