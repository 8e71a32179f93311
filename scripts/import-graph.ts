/**
 * The run-time import graph of an entry, read from its files: what an app loads when it imports it. Type-only imports
 * load nothing and are left out; a `./x.js` specifier resolves to `x.js`, else `x.ts` or `x.tsx` (the sources).
 * Shared by the entry tests of the server and the React bindings and by the packages test of the built files.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

/** The modules an entry loads (relative to `root`, sorted) and the packages they import by name (sorted). */
export interface RuntimeGraph {
  readonly modules: string[];
  readonly packages: string[];
}

/** `import`/`export … from "x"` and side-effect `import "x"`, except `import type` and `export type`. */
const RUNTIME_IMPORT = /^(?:(?:import|export)(?! type )[^"';]*?from |import )"([^"]+)"/gm;

const resolveFile = (from: string, specifier: string): string => {
  const path = resolve(dirname(from), specifier);
  if (existsSync(path)) return path;
  const stem = path.replace(/\.js$/, "");
  return [`${stem}.ts`, `${stem}.tsx`].find((candidate) => existsSync(candidate)) ?? path;
};

/** Walks the relative imports from `entry` (a path below `root`) and returns what it reaches. */
export function runtimeGraph(root: string, entry: string): RuntimeGraph {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    for (const [, specifier = ""] of readFileSync(file, "utf8").matchAll(RUNTIME_IMPORT)) {
      if (specifier.startsWith(".")) visit(resolveFile(file, specifier));
      else packages.add(specifier);
    }
  };
  visit(resolve(root, entry));
  return { modules: [...modules].map((file) => relative(root, file)).sort(), packages: [...packages].sort() };
}
