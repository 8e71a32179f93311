import { defineConfig } from "vite";

// Library build of the main package: ESM, one file per module, so each client module of the React entry keeps its
// "use client" directive in its own file (Next.js then treats hooks, provider and <LiveView> as client modules while
// the query options stay callable in Server Components). Dependencies and Node built-ins stay external.
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
        "react-query": "src/react-query/index.ts",
        server: "src/server/index.ts",
        core: "src/core/index.ts",
        vite: "src/vite/index.ts",
        testing: "src/testing/index.ts",
      },
    },
    rolldownOptions: {
      // vite is the Vite plugin's host; the emulator is loaded by the plugin only when installed, never bundled.
      external: [
        /^node:/,
        /^react($|\/)/,
        /^react-dom($|\/)/,
        /^@tanstack\//,
        "openapi-fetch",
        "vite",
        "firecrawl-interact-emulator",
      ],
      output: { preserveModules: true, preserveModulesRoot: ".", entryFileNames: "[name].js" },
      // With preserveModules each file keeps its directives, so the warning that they may be lost does not apply.
      onLog: (level, log, handler) => (log.code === "MODULE_LEVEL_DIRECTIVE" ? undefined : handler(level, log)),
    },
  },
});
