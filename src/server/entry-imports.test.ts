import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runtimeGraph } from "../../scripts/import-graph.js";

const root = resolve(import.meta.dirname, "../..");

describe("the server entry", () => {
  it("loads only the server, the core and the generated constraints: no client, no openapi-fetch", () => {
    const { modules, packages } = runtimeGraph(root, "src/server/index.ts");
    expect(modules).toContain("src/server/handler.ts");
    expect(modules.filter((file) => !/^(src\/server|src\/core|generated)\//.test(file))).toEqual([]);
    expect(packages.filter((name) => !name.startsWith("node:"))).toEqual([]);
  });
});
