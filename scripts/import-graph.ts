/**
 * The run-time import graph of an entry, read from its files: what an app loads when it imports it. Type-only imports
 * load nothing and are left out; a `./x.js` specifier resolves to `x.js`, else `x.ts` or `x.tsx` (the sources).
 * Shared by the entry tests of the server and the React bindings and by the packages test of the built files.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
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

/** Any relative import, type-only ones included: a circle of types still ties the modules' designs together. */
const ANY_IMPORT = /^(?:import|export)[^"';]*?(?:from )?"(\.[^"]+)"/gm;

/** The import circles among the non-test modules below `dirs` (paths relative to `root`), each as a path of files. */
export function importCycles(root: string, dirs: readonly string[]): string[][] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = resolve(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test(-d)?\.tsx?$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of dirs) walk(resolve(root, dir));
  const known = new Set(files);
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const [, specifier = ""] of readFileSync(file, "utf8").matchAll(ANY_IMPORT)) {
      const target = resolveFile(file, specifier);
      if (!known.has(target)) continue;
      if (state.get(target) === "open") cycles.push(path.slice(path.indexOf(target)).map((f) => relative(root, f)));
      else if (!state.has(target)) visit(target);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}
