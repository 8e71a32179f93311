/** Part 5: min+gzip of what an app ships from us (openapi-fetch included) next to the libraries it would otherwise ship. */
import {
  type BundleSize,
  formatKb,
  measureBundles,
  OUR_TARGETS,
  QUICK_START,
  REFERENCE_TARGETS,
} from "../scripts/bundle-size.js";
import { SIZE_BUDGETS } from "../scripts/size.js";
import { formatRatio, type TableRow, verdict } from "./report.js";
import { ratio } from "./stats.js";

/** Our bundles, the references, and the budget of the React quick start. */
export interface BundleResult {
  readonly ours: readonly BundleSize[];
  readonly references: readonly BundleSize[];
  /** The quick start's goal, min+gzip bytes (printed, not enforced). */
  readonly target: number;
  /** The ceiling `npm run size` enforces on the quick start in `npm test`, min+gzip bytes. */
  readonly ceiling: number;
}

/** Measures every bundle once (builds are deterministic: repetitions would print the same bytes). */
export async function benchBundle(): Promise<BundleResult> {
  const budget = SIZE_BUDGETS.find((b) => b.name === QUICK_START);
  const ceiling = budget?.maxGzip ?? Number.NaN;
  return {
    ours: await measureBundles(OUR_TARGETS),
    references: await measureBundles(REFERENCE_TARGETS),
    target: budget?.targetGzip ?? ceiling,
    ceiling,
  };
}

const size = (sizes: readonly BundleSize[], name: string) => sizes.find((s) => s.name === name);
const cell = (s: BundleSize | undefined) => (s ? `${formatKb(s.gzip)} (${formatKb(s.minified)} min)` : "n/a");
const gzipRatio = (ours: BundleSize | undefined, reference: BundleSize | undefined) =>
  formatRatio(ratio(ours?.gzip ?? Number.NaN, reference?.gzip ?? Number.NaN));

/**
 * Table rows, min+gz as shipped (deterministic, so one number each): the client entry against openapi-fetch alone,
 * and the React quick start and the whole client + React surface against openapi-fetch + openapi-react-query.
 */
export function bundleRows(result: BundleResult): TableRow[] {
  const quickStart = size(result.ours, QUICK_START);
  const client = size(result.ours, "client");
  const both = size(result.ours, "client+react");
  const fetchOnly = size(result.references, "openapi-fetch");
  const fetchQuery = size(result.references, "openapi-fetch+openapi-react-query");
  return [
    {
      part: 5,
      measurement: "bundle min+gz: React quick start as shipped vs openapi-fetch+openapi-react-query",
      ours: cell(quickStart),
      reference: cell(fetchQuery),
      ratio: gzipRatio(quickStart, fetchQuery),
      target: `≤ ${formatKb(result.target)} (CI ceiling ${formatKb(result.ceiling)})`,
      met: verdict((quickStart?.gzip ?? Number.POSITIVE_INFINITY) <= result.target),
    },
    {
      part: 5,
      measurement: "bundle min+gz: whole client+react surface vs openapi-fetch+openapi-react-query",
      ours: cell(both),
      reference: cell(fetchQuery),
      ratio: gzipRatio(both, fetchQuery),
      target: "—",
      met: "—",
    },
    {
      part: 5,
      measurement: "bundle min+gz: whole client entry vs openapi-fetch",
      ours: cell(client),
      reference: cell(fetchOnly),
      ratio: gzipRatio(client, fetchOnly),
      target: "—",
      met: "—",
    },
  ];
}
