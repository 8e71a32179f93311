import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles } from "./import-graph.js";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

describe("import circles", () => {
  it("there are none in the library or the emulator, type-only imports included", () => {
    expect(importCycles(ROOT, ["src", "packages/emulator/src"])).toEqual([]);
  });

  it("are found: the scrape jobs and the scraper once named each other's types", async () => {
    const { mkdtemp, writeFile, mkdir, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const root = await mkdtemp(resolve(tmpdir(), "fci-cycles-"));
    await mkdir(resolve(root, "lib"));
    await writeFile(resolve(root, "lib/a.ts"), 'import type { B } from "./b.js";\nexport type A = B;\n');
    await writeFile(resolve(root, "lib/b.ts"), 'export type { A as B } from "./a.js";\n');
    try {
      expect(importCycles(root, ["lib"])).toEqual([["lib/a.ts", "lib/b.ts"]]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
