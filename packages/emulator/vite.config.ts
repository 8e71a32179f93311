import { defineConfig } from "vite";

// Library build of firecrawl-interact-emulator: the API entry and the CLI; every dependency stays external
// (firecrawl-interact included, so the emulator shares the installed core instead of carrying a copy).
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    minify: false,
    sourcemap: true,
    lib: { formats: ["es"], entry: { index: "src/index.ts", cli: "src/cli.ts" } },
    rolldownOptions: {
      external: [/^node:/, /^firecrawl-interact($|\/)/, "ws", "playwright-core", /^@sparticuz\//],
      output: {
        chunkFileNames: "shared/[name]-[hash].js",
        // The package `bin` runs dist/cli.js directly, so it needs a shebang.
        banner: (chunk) => (chunk.isEntry && chunk.name === "cli" ? "#!/usr/bin/env node" : ""),
      },
    },
  },
});
