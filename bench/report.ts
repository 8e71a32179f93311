/** The printed table: one markdown row per measurement, ours next to its reference. */
import type { Summary } from "./stats.js";

/** One line of the results table (all cells already formatted). */
export interface TableRow {
  /** Part number, 1–6 (start, stream, scale, codegen, bundle, leaks). */
  readonly part: number;
  readonly measurement: string;
  readonly ours: string;
  readonly reference: string;
  readonly ratio: string;
  readonly target: string;
  /** `yes`, `no`, or `—` when the row has no target. */
  readonly met: "yes" | "no" | "—";
}

const HEADER = ["#", "measurement", "ours (median / p95)", "reference (median / p95)", "ratio", "target", "met"];

/** Renders rows as a GitHub markdown table, columns padded so it also reads well in a terminal. */
export function renderTable(rows: readonly TableRow[]): string {
  const cells = [
    HEADER,
    ...rows.map((r) => [String(r.part), r.measurement, r.ours, r.reference, r.ratio, r.target, r.met]),
  ];
  const widths = HEADER.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(HEADER), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

/** `812 ms` below two seconds, `3.18 s` from there up (codegen runs read better in seconds). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  return ms >= 2000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** `812 / 990 ms` from a summary. */
export function formatMsSummary(summary: Summary): string {
  if (summary.n === 0) return "n/a";
  return `${formatMs(summary.median)} / ${formatMs(summary.p95)}`;
}

/** A ratio with two decimals, `n/a` when undefined. */
export const formatRatio = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : "n/a");

/** Mebibytes with one decimal. */
export const formatMb = (bytes: number): string =>
  Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : "n/a";

/** `yes`/`no` from a comparison that may be undefined (NaN counts as not met). */
export const verdict = (met: boolean): "yes" | "no" => (met ? "yes" : "no");
