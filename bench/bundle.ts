/** Part 5: min+gzip of our entries next to the libraries a user would otherwise ship. */
import { type BundleSize, formatKb, measureBundles, OUR_TARGETS, REFERENCE_TARGETS } from "../scripts/bundle-size.js";
import { SIZE_BUDGETS } from "../scripts/size.js";
import { formatRatio, type TableRow, verdict } from "./report.js";
import { ratio } from "./stats.js";

/** Our bundles, the references, and the budget of our combined client + react code. */
export interface BundleResult {
  readonly ours: readonly BundleSize[];
  readonly references: readonly BundleSize[];
  /** Issue 7's goal for client+react, min+gzip bytes. */
  readonly target: number;
  /** The ceiling `npm run size` enforces in `npm test`, min+gzip bytes. */
  readonly ceiling: number;
}

/** Measures every bundle once (builds are deterministic: repetitions would print the same bytes). */
export async function benchBundle(): Promise<BundleResult> {
  const budget = SIZE_BUDGETS.find((b) => b.name === "client+react");
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

/**
 * Table rows, min+gz (deterministic, so one number each): the client against openapi-fetch alone, and
 * client+react against openapi-fetch + openapi-react-query, the nearest off-the-shelf stack.
 */
export function bundleRows(result: BundleResult): TableRow[] {
  const client = size(result.ours, "client");
  const react = size(result.ours, "react");
  const both = size(result.ours, "client+react");
  const fetchOnly = size(result.references, "openapi-fetch");
  const fetchQuery = size(result.references, "openapi-fetch+openapi-react-query");
  return [
    {
      part: 5,
      measurement: "bundle min+gz: client entry (peers external) vs openapi-fetch",
      ours: cell(client),
      reference: cell(fetchOnly),
      ratio: formatRatio(ratio(client?.gzip ?? Number.NaN, fetchOnly?.gzip ?? Number.NaN)),
      target: "—",
      met: "—",
    },
    {
      part: 5,
      measurement: "bundle min+gz: react entry (peers external)",
      ours: cell(react),
      reference: "—",
      ratio: "—",
      target: "—",
      met: "—",
    },
    {
      part: 5,
      measurement: "bundle min+gz: client+react vs openapi-fetch+openapi-react-query",
      ours: cell(both),
      reference: cell(fetchQuery),
      ratio: formatRatio(ratio(both?.gzip ?? Number.NaN, fetchQuery?.gzip ?? Number.NaN)),
      target: `≤ ${formatKb(result.target)} (CI ceiling ${formatKb(result.ceiling)})`,
      met: verdict((both?.gzip ?? Number.POSITIVE_INFINITY) <= result.target),
    },
  ];
}
