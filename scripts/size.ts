/**
 * Size budget, run by `npm test`: what an app ships for the README's React quick start, min+gzip, openapi-fetch
 * included (it is our dependency), react, react-dom and TanStack external (the app's own).
 *
 *   npm run size
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BundleSize, formatKb, measureBundles, OUR_TARGETS, QUICK_START } from "./bundle-size.js";

/** A ceiling on the gzipped size of one measured bundle, and the size it is meant to reach. */
export interface SizeBudget {
  readonly name: string;
  /** Maximum min+gzip bytes: over it, `npm test` fails. */
  readonly maxGzip: number;
  /** The goal in min+gzip bytes, printed with the distance to it on every run (not enforced). */
  readonly targetGzip?: number;
}

/**
 * Budgets enforced in CI: the ceiling is the quick start's size when it was last set (openapi-fetch is about 2.8 kB of
 * it), so it stops growth, and every run prints how far the 6 kB target still is. It was 7100 B until the client
 * gained `interact()`/`stopInteraction()` with their constraints, and the validator `oneOf`, `format` and UTF-8 byte
 * bounds (+535 B, after moving routes out of what the client imports). It was 7650 B until the client gained
 * `scrape()`, `getScrape()` and `getSession()` (+107 B; the lifecycle core and React without TanStack gave back 41 B).
 */
export const SIZE_BUDGETS: readonly SizeBudget[] = [{ name: QUICK_START, maxGzip: 7700, targetGzip: 6000 }];

/** One line per budget that a measurement breaks, or that has no measurement at all. */
export function budgetViolations(sizes: readonly BundleSize[], budgets: readonly SizeBudget[]): string[] {
  return budgets.flatMap((budget) => {
    const size = sizes.find((s) => s.name === budget.name);
    if (!size) return [`${budget.name}: no bundle of that name was measured`];
    if (size.gzip <= budget.maxGzip) return [];
    const over = size.gzip - budget.maxGzip;
    return [
      `${budget.name} is ${formatKb(size.gzip)} min+gz, over its ${formatKb(budget.maxGzip)} budget by ${over} bytes`,
    ];
  });
}

/** The modules of the testing entry (the fake, its factories, the conformance suite): never part of a main entry. */
export const TESTING_MODULES = /^src\/testing\//;

/** One line per measured bundle that carries a module of the testing entry, which would ship test code to apps. */
export function testingLeaks(sizes: readonly BundleSize[]): string[] {
  return sizes.flatMap((size) =>
    size.modules
      .filter((module) => TESTING_MODULES.test(module.id))
      .map((module) => `${size.name} bundles ${module.id}, a module of firecrawl-interact/testing`),
  );
}

/** The report printed by `npm run size`: one row per bundle, with its budget when it has one. */
export function sizeReport(sizes: readonly BundleSize[], budgets: readonly SizeBudget[]): string {
  const rows = sizes.map((size) => {
    const budget = budgets.find((b) => b.name === size.name);
    const target = budget?.targetGzip;
    const goal =
      target === undefined
        ? ""
        : `; target ${formatKb(target)}${size.gzip > target ? `, ${size.gzip - target} B to go` : " met"}`;
    const verdict = budget
      ? `${size.gzip <= budget.maxGzip ? "ok" : "OVER"} (budget ${formatKb(budget.maxGzip)}${goal})`
      : "";
    return `  ${size.name.padEnd(14)} ${formatKb(size.minified).padStart(10)} min ${formatKb(size.gzip).padStart(10)} min+gz  ${verdict}`;
  });
  return ["size: as shipped, openapi-fetch included; react, react-dom, @tanstack/* external", ...rows].join("\n");
}

async function main(): Promise<number> {
  const started = performance.now();
  const sizes = await measureBundles(OUR_TARGETS);
  console.log(sizeReport(sizes, SIZE_BUDGETS));
  const violations = [...budgetViolations(sizes, SIZE_BUDGETS), ...testingLeaks(sizes)];
  for (const line of violations) console.error(`size: FAIL ${line}`);
  if (violations.length > 0) {
    for (const size of sizes.filter((s) => violations.some((v) => v.startsWith(`${s.name} `)))) {
      console.error(`size: largest modules of ${size.name} (bytes before minification):`);
      for (const module of size.modules.slice(0, 8))
        console.error(`  ${String(module.bytes).padStart(7)}  ${module.id}`);
    }
    console.error("size: shrink the code (or move it behind a separate entry) before raising the budget.");
    return 1;
  }
  console.log(`size: within budget (${Math.round(performance.now() - started)} ms)`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`size: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
