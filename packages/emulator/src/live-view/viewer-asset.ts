import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** File name of the bundled viewer script in the emulator package's `dist`. */
export const VIEWER_ASSET = "live-view-viewer.js";

/**
 * The viewer script the live-view page inlines. Built, the emulator reads `dist/live-view-viewer.js`, which its build
 * produced; run from source (vitest, tsx) it bundles `viewer.ts` in memory, so a stale `dist` is never served.
 */
export async function loadViewerScript(): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    // Loaded on demand so the built package's start-up never touches the bundler code (or vite).
    const { bundleViewerFromSource } = await import("./viewer-bundle.js");
    return bundleViewerFromSource(join(dirname(here), "viewer.ts"));
  }
  // The package resolving its own name finds its root wherever the bundler placed this chunk in dist.
  const manifest = createRequire(import.meta.url).resolve("firecrawl-interact-emulator/package.json");
  return readFile(join(dirname(manifest), "dist", VIEWER_ASSET), "utf8");
}
