import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { sourceAliases } from "./scripts/source-aliases.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The playground's Vite config (the library build is vite.lib.config.ts). The package's public entry points map to
// their sources, so the playground imports `firecrawl-interact/react` exactly as an app would, without a build.
export default defineConfig({
  root: here("./playground"),
  plugins: [react()],
  resolve: {
    alias: sourceAliases,
  },
  // Pre-bundled up front so the first visit never triggers Vite's "new dependency found, reloading".
  optimizeDeps: {
    include: [
      "react",
      "react-dom",
      "react-dom/client",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "@tanstack/react-query",
      "openapi-fetch",
    ],
  },
  cacheDir: here("./node_modules/.vite/playground"),
  build: {
    outDir: here("./playground/dist"),
    emptyOutDir: true,
    target: "es2022",
  },
});
