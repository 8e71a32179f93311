import { dirname } from "node:path";
import type { build as viteBuild } from "vite";

/**
 * Bundles the viewer's TypeScript entry into one self-contained browser script (an IIFE), in memory; `build` is vite's.
 * The package build calls it with its own vite; `bundleViewerFromSource` loads vite first.
 */
export async function bundleViewer(build: typeof viteBuild, entry: string): Promise<string> {
  const result = await build({
    // Rooted at the entry with no config or env file, so nothing in the caller's working directory applies.
    root: dirname(entry),
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: "warn",
    // `firecrawl-interact/core` resolves to its sources through the repository's tsconfig `paths`.
    resolve: { tsconfigPaths: true },
    build: {
      write: false,
      target: "es2022",
      minify: false,
      sourcemap: false,
      modulePreload: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: { input: entry, output: { format: "iife" } },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunk = outputs
    .flatMap((output) => ("output" in output ? output.output : []))
    .find((file) => file.type === "chunk" && file.isEntry);
  if (chunk?.type !== "chunk") throw new Error(`Bundling ${entry} produced no script`);
  // The script is inlined in a <script> element, which this sequence would close early.
  if (/<\/script/i.test(chunk.code)) throw new Error(`The bundled ${entry} contains "</script"`);
  return chunk.code;
}

/** Bundles the viewer entry with vite loaded on demand: the unbuilt emulator's way (vite is a repository devDependency). */
export async function bundleViewerFromSource(entry: string): Promise<string> {
  const { build } = await import("vite");
  // vite sets NODE_ENV to "production" when it is unset, which would leak into the rest of this process.
  const nodeEnv = process.env.NODE_ENV;
  try {
    return await bundleViewer(build, entry);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
