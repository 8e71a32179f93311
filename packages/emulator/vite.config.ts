import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, defineConfig, type Plugin } from "vite";
import { VIEWER_ASSET } from "./src/live-view/viewer-asset.js";
import { bundleViewer } from "./src/live-view/viewer-bundle.js";

// The live-view page's script, bundled for the browser and emitted as dist/live-view-viewer.js, which the built
// emulator reads at start-up (run from source, it bundles the same entry in memory instead).
const liveViewViewer = (): Plugin => ({
  name: "firecrawl-interact-emulator:live-view-viewer",
  async generateBundle() {
    const entry = fileURLToPath(new URL("./src/live-view/viewer.ts", import.meta.url));
    this.emitFile({ type: "asset", fileName: VIEWER_ASSET, source: await bundleViewer(build, entry) });
  },
});

const { dependencies } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
};
const dependencyNames = Object.keys(dependencies);
/** Node built-ins, vite, and every dependency with its subpaths: a new dependency is external with no edit here. */
const isExternal = (id: string) =>
  id.startsWith("node:") || id === "vite" || dependencyNames.some((name) => id === name || id.startsWith(`${name}/`));

// Library build of firecrawl-interact-emulator: the API entry and the CLI; every dependency stays external
// (firecrawl-interact included, so the emulator shares the installed core instead of carrying a copy).
export default defineConfig({
  plugins: [liveViewViewer()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    minify: false,
    sourcemap: true,
    lib: { formats: ["es"], entry: { index: "src/index.ts", cli: "src/cli.ts" } },
    rolldownOptions: {
      // vite is imported only when the emulator runs from source, to bundle the viewer (see live-view/viewer-asset.ts).
      external: isExternal,
      output: {
        chunkFileNames: "shared/[name]-[hash].js",
        // The package `bin` runs dist/cli.js directly, so it needs a shebang.
        banner: (chunk) => (chunk.isEntry && chunk.name === "cli" ? "#!/usr/bin/env node" : ""),
      },
    },
  },
});
