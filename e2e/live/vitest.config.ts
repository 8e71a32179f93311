import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceAliases } from "../../scripts/source-aliases.js";

// `npm run test:live` only: the conformance suite against real Firecrawl, one case at a time (sessions cost credits).
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  resolve: { alias: sourceAliases },
  test: {
    name: "live",
    environment: "node",
    include: ["e2e/live/**/*.live.ts"],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
