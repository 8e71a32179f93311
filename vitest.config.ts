import react from "@vitejs/plugin-react";
import { configDefaults, defineConfig } from "vitest/config";
import { sourceAliases } from "./scripts/source-aliases.js";

// One config, five projects: each room of the package runs in the environment it ships to.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: sourceAliases },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          // Type tests of every entry run once, here, rather than once per project.
          typecheck: {
            enabled: true,
            include: ["src/**/*.test-d.ts", "src/**/*.test-d.tsx", "packages/*/src/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
          include: [
            "src/client/**/*.test.ts",
            "src/server/**/*.test.ts",
            "src/core/**/*.test.ts",
            "src/testing/**/*.test.ts",
            "src/vite/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "react",
          environment: "jsdom",
          include: [
            "src/react/**/*.test.ts",
            "src/react/**/*.test.tsx",
            "src/react-query/**/*.test.ts",
            "src/react-query/**/*.test.tsx",
            "src/testing/**/*.test.tsx",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "emulator",
          environment: "node",
          include: ["packages/emulator/src/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          include: ["e2e/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "e2e/packages/**"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The packed tarballs installed like an app would: runs after `npm run build` (npm run test:packages).
          name: "packages",
          environment: "node",
          include: ["e2e/packages/**/*.test.ts"],
          globalSetup: ["e2e/packages/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
