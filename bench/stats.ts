/** Order statistics of repeated measurements. */

/** Median, p95 and range of a set of samples (milliseconds, fps, bytes: whatever was measured). */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

/** The value at quantile q (0..1) by the nearest-rank method: always one of the samples, never interpolated. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Summarises samples; NaN everywhere when there are none. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** ours / reference, NaN when either side is missing or the reference is zero. */
export function ratio(ours: number, reference: number): number {
  return Number.isFinite(ours) && Number.isFinite(reference) && reference !== 0 ? ours / reference : Number.NaN;
}
