/**
 * Minified + gzipped size of a bundle, built with Vite 8's bundler (rolldown + oxc minifier) in memory.
 * Shared by the size budget (`npm run size`, part of `npm test`) and the bundle section of `npm run bench`.
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin, type Rolldown } from "vite";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// Entries are virtual modules under a path that never exists on disk (Vite resolves lib entries against root).
const virtualPath = (name: string) => join(root, ".bundle-size", `${name}.js`);

/** One bundle to measure: the source of its entry module and which imports stay external. */
export interface BundleTarget {
  /** Label printed in tables, e.g. `client` or `openapi-fetch`. */
  readonly name: string;
  /** Source of the entry module; imports are resolved from the repository root. */
  readonly entrySource: string;
  /** Imports left out of the bundle (what the app already ships). */
  readonly external: readonly (string | RegExp)[];
}

/** Size of one bundle in bytes. */
export interface BundleSize {
  readonly name: string;
  /** Bytes of minified JavaScript (all chunks). */
  readonly minified: number;
  /** Bytes after gzip level 9 of the minified code. */
  readonly gzip: number;
  /** Bundled modules, largest first, with their rendered (pre-minification) length: where the bytes come from. */
  readonly modules: readonly { readonly id: string; readonly bytes: number }[];
}

/** What the app already has (react, react-dom, TanStack): external. openapi-fetch is our dependency, so it is bundled. */
export const APP_EXTERNALS: readonly (string | RegExp)[] = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//];

const ours = (path: string) => JSON.stringify(join(root, path));
const CLIENT = ours("src/client/index.ts");
const REACT = ours("src/react/index.ts");

/** Name of the bundle of the README's React quick start, the one the size budget enforces. */
export const QUICK_START = "quick-start";

/**
 * What an app ships from us, openapi-fetch included: the README's React quick start, the whole client entry, and the
 * whole client + React surface (shared code counted once). Entries are plain re-exports, as an app's imports see them.
 */
export const OUR_TARGETS: readonly BundleTarget[] = [
  {
    name: QUICK_START,
    entrySource: `export { createInteractClient } from ${CLIENT};\nexport { InteractProvider, LiveView, useInteractSession } from ${REACT};`,
    external: APP_EXTERNALS,
  },
  { name: "client", entrySource: `export * from ${CLIENT};`, external: APP_EXTERNALS },
  { name: "client+react", entrySource: `export * from ${CLIENT};\nexport * from ${REACT};`, external: APP_EXTERNALS },
];

/** What a user would otherwise ship: openapi-fetch alone, and with openapi-react-query (its peers external). */
export const REFERENCE_TARGETS: readonly BundleTarget[] = [
  { name: "openapi-fetch", entrySource: `export * from "openapi-fetch";`, external: [] },
  {
    name: "openapi-fetch+openapi-react-query",
    entrySource: `export * from "openapi-fetch";\nexport { default as createQueryClient } from "openapi-react-query";`,
    external: APP_EXTERNALS,
  },
];

function virtualEntry(target: BundleTarget): Plugin {
  const id = virtualPath(target.name);
  return {
    name: "bundle-size-entry",
    resolveId: (source) => (source === id ? id : null),
    load: (loaded) => (loaded === id ? target.entrySource : null),
  };
}

const isChunk = (item: Rolldown.OutputChunk | Rolldown.OutputAsset): item is Rolldown.OutputChunk =>
  item.type === "chunk";

/** Bundles one target in memory and returns its minified and gzipped byte counts. */
export async function measureBundle(target: BundleTarget): Promise<BundleSize> {
  const result = await build({
    configFile: false,
    logLevel: "silent",
    root,
    plugins: [virtualEntry(target)],
    build: {
      write: false,
      minify: true,
      target: "es2022",
      lib: { formats: ["es"], entry: { [target.name]: virtualPath(target.name) } },
      // Vite's library mode keeps whitespace in ES output; an app's bundler strips it, so measure fully minified.
      rolldownOptions: { external: [...target.external], output: { minify: true } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((output) => output.output.filter(isChunk));
  const code = chunks.map((chunk) => chunk.code).join("\n");
  const modules = chunks
    .flatMap((chunk) => Object.entries(chunk.modules))
    .map(([id, module]) => ({ id: relative(root, id).replaceAll("\\", "/"), bytes: module.renderedLength }))
    .filter((module) => module.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { name: target.name, ...codeSize(code), modules };
}

/** Byte counts of already-minified code: UTF-8 length and gzip level 9 length. */
export function codeSize(code: string): { minified: number; gzip: number } {
  return { minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
}

/** Measures targets one after another (rolldown is already parallel inside; this keeps numbers stable). */
export async function measureBundles(targets: readonly BundleTarget[]): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const target of targets) sizes.push(await measureBundle(target));
  return sizes;
}

/** Formats a byte count as `1.23 kB` (1 kB = 1000 bytes, as bundlers print it). */
export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}
