import { defineConfig } from "vite";

// Library build: one ESM file per entry point; dependencies and Node built-ins stay external.
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    minify: false,
    sourcemap: true,
    lib: {
      formats: ["es"],
      entry: {
        client: "src/client/index.ts",
        react: "src/react/index.ts",
        server: "src/server/index.ts",
        emulator: "src/emulator/index.ts",
        cli: "src/emulator/cli.ts",
      },
    },
    rolldownOptions: {
      external: [
        /^node:/,
        /^react($|\/)/,
        /^react-dom($|\/)/,
        /^@tanstack\//,
        "openapi-fetch",
        "ws",
        "playwright-core",
        /^@sparticuz\//,
      ],
      output: {
        chunkFileNames: "shared/[name]-[hash].js",
        // The package `bin` runs dist/cli.js directly, so it needs a shebang.
        banner: (chunk) => (chunk.isEntry && chunk.name === "cli" ? "#!/usr/bin/env node" : ""),
      },
    },
  },
});
