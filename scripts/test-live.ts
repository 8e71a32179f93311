/**
 * `npm run test:live`: the conformance suite (src/testing/conformance) against real Firecrawl. It needs
 * FIRECRAWL_API_KEY and spends credits, so without the key it says so and runs nothing, and `npm test` never runs it.
 */
import { spawnSync } from "node:child_process";

if (!process.env.FIRECRAWL_API_KEY) {
  console.log(
    "test:live: skipped: FIRECRAWL_API_KEY is not set. The conformance suite runs on real Firecrawl only with a key " +
      "(it spends credits); `npm test` runs the same suite on the fake and on the emulator.",
  );
  process.exit(0);
}
if (process.env.CI) {
  console.log("test:live: skipped: CI is set, and CI never spends Firecrawl credits; run it on a developer's machine.");
  process.exit(0);
}
const run = spawnSync("npx", ["vitest", "run", "--config", "e2e/live/vitest.config.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
