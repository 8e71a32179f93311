import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** Every module the server entry loads at run time (type-only imports load nothing), and the packages among them. */
function runtimeGraph(entry: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const source = readFileSync(file, "utf8");
    for (const [, specifier] of source.matchAll(/^(?:import|export)(?! type )[^"';]*?from "([^"]+)"/gm)) {
      if (!specifier) continue;
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  };
  visit(resolve(root, entry));
  return { modules: [...modules].map((file) => relative(root, file)).sort(), packages: [...packages].sort() };
}

describe("the server entry", () => {
  it("loads only the server, the core and the generated constraints: no client, no openapi-fetch", () => {
    const { modules, packages } = runtimeGraph("src/server/index.ts");
    expect(modules).toContain("src/server/handler.ts");
    expect(modules.filter((file) => !/^(src\/server|src\/core|generated)\//.test(file))).toEqual([]);
    expect(packages.filter((name) => !name.startsWith("node:"))).toEqual([]);
  });
});
