import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { APP_EXTERNALS, codeSize, measureBundle, OUR_TARGETS, QUICK_START, REFERENCE_TARGETS } from "./bundle-size.js";
import { budgetViolations, SIZE_BUDGETS, sizeReport, testingLeaks } from "./size.js";

const bundle = (name: string, gzip: number, minified = 9000) => ({ name, minified, gzip, modules: [] });

describe("budgetViolations", () => {
  const budgets = [{ name: "quick-start", maxGzip: 7100 }];
  const cases = [
    { gzip: 7099, expected: [] },
    { gzip: 7100, expected: [] },
    { gzip: 7101, expected: ["quick-start is 7.10 kB min+gz, over its 7.10 kB budget by 1 bytes"] },
    { gzip: 8350, expected: ["quick-start is 8.35 kB min+gz, over its 7.10 kB budget by 1250 bytes"] },
  ];
  for (const { gzip, expected } of cases) {
    it(`${gzip} bytes gives ${expected.length} violation(s)`, () => {
      expect(budgetViolations([bundle("quick-start", gzip)], budgets)).toEqual(expected);
    });
  }

  it("judges each budget by its own bundle only", () => {
    const sizes = [bundle("client+react", 9999), bundle("quick-start", 7000)];
    expect(budgetViolations(sizes, budgets)).toEqual([]);
    expect(budgetViolations(sizes, [...budgets, { name: "client+react", maxGzip: 9000 }])).toEqual([
      "client+react is 10.00 kB min+gz, over its 9.00 kB budget by 999 bytes",
    ]);
  });

  it("fails a budget whose bundle was not measured instead of passing it silently", () => {
    expect(budgetViolations([bundle("client", 1)], budgets)).toEqual([
      "quick-start: no bundle of that name was measured",
    ]);
  });
});

describe("SIZE_BUDGETS", () => {
  it("enforces a 7700 B ceiling on the quick start, with 6000 B as the target", () => {
    expect(SIZE_BUDGETS).toEqual([{ name: "quick-start", maxGzip: 7700, targetGzip: 6000 }]);
  });

  it("names only bundles that `npm run size` measures", () => {
    const measured = OUR_TARGETS.map((t) => t.name);
    expect(measured).toEqual([QUICK_START, "client", "client+react"]);
    for (const budget of SIZE_BUDGETS) expect(measured).toContain(budget.name);
  });
});

describe("targets", () => {
  it("keeps exactly react, react-dom and @tanstack/* external, never openapi-fetch", () => {
    const external = (id: string) => APP_EXTERNALS.some((e) => (typeof e === "string" ? e === id : e.test(id)));
    for (const id of ["react", "react/jsx-runtime", "react-dom", "react-dom/client", "@tanstack/react-query"])
      expect(external(id), id).toBe(true);
    for (const id of ["openapi-fetch", "openapi-react-query", "reactive", "react-dommy", "tanstack"])
      expect(external(id), id).toBe(false);
    for (const target of [...OUR_TARGETS, ...REFERENCE_TARGETS.slice(1)]) expect(target.external).toBe(APP_EXTERNALS);
    expect(REFERENCE_TARGETS.map((t) => t.name)).toEqual(["openapi-fetch", "openapi-fetch+openapi-react-query"]);
  });

  it("builds the quick start from exactly the README's four imports", () => {
    const quickStart = OUR_TARGETS.find((t) => t.name === QUICK_START);
    const imports = [...(quickStart?.entrySource ?? "").matchAll(/export \{ ([^}]+) \} from "([^"]+)"/g)].map(
      ([, names, from]) => ({ names: names?.split(", "), from: from?.replace(/^.*\/src\//, "src/") }),
    );
    expect(imports).toEqual([
      { names: ["createInteractClient"], from: "src/client/index.ts" },
      { names: ["InteractProvider", "LiveView", "useInteractSession"], from: "src/react/index.ts" },
    ]);
  });

  it("bundles openapi-fetch into the quick start and leaves React and TanStack out", async () => {
    const quickStart = OUR_TARGETS.find((t) => t.name === QUICK_START);
    if (!quickStart) throw new Error("no quick-start target");
    const size = await measureBundle(quickStart);
    const ids = size.modules.map((m) => m.id);
    expect(ids).toContain("node_modules/openapi-fetch/dist/index.mjs");
    expect(ids.filter((id) => /node_modules\/(react|react-dom|@tanstack)\//.test(id))).toEqual([]);
    expect(ids).toContain("src/react/live-view.tsx");
    expect(ids).toContain("src/client/client.ts");
  });
});

describe("sizeReport", () => {
  it("prints every row, marks budgeted rows ok or OVER and leaves the others plain", () => {
    const report = sizeReport(
      [
        { name: "client", minified: 9510, gzip: 3110, modules: [] },
        { name: "quick-start", minified: 17216, gzip: 7120, modules: [] },
      ],
      [{ name: "quick-start", maxGzip: 7100 }],
    ).split("\n");
    expect(report).toEqual([
      "size: as shipped, openapi-fetch included; react, react-dom, @tanstack/* external",
      "  client            9.51 kB min    3.11 kB min+gz  ",
      "  quick-start      17.22 kB min    7.12 kB min+gz  OVER (budget 7.10 kB)",
    ]);
  });

  it("prints the distance to a target on every run, or that it is met", () => {
    const row = (gzip: number) =>
      sizeReport(
        [bundle("quick-start", gzip, 17000)],
        [{ name: "quick-start", maxGzip: 7100, targetGzip: 6000 }],
      ).split("\n")[1];
    expect(row(7071)).toBe(
      "  quick-start      17.00 kB min    7.07 kB min+gz  ok (budget 7.10 kB; target 6.00 kB, 1071 B to go)",
    );
    expect(row(6001)).toMatch(/ok \(budget 7\.10 kB; target 6\.00 kB, 1 B to go\)$/);
    expect(row(6000)).toMatch(/ok \(budget 7\.10 kB; target 6\.00 kB met\)$/);
    expect(row(7101)).toMatch(/OVER \(budget 7\.10 kB; target 6\.00 kB, 1101 B to go\)$/);
  });
});

describe("measureBundle", () => {
  it("minifies the entry: comments, whitespace and local names do not count", async () => {
    const entrySource = `/* ${"a comment that minification drops ".repeat(10)} */
      const aVeryLongLocalVariableName = ["hello",    "world"];
      export const greeting = aVeryLongLocalVariableName.join(" ");`;
    const size = await measureBundle({ name: "tiny", entrySource, external: [] });
    expect(size.name).toBe("tiny");
    expect(size.minified).toBeLessThan(80);
    expect(entrySource.length).toBeGreaterThan(450);
  });

  it("keeps external imports out of the bundle and bundles them otherwise", async () => {
    const entrySource = `export { default as createClient } from "openapi-fetch";`;
    const external = await measureBundle({ name: "external", entrySource, external: ["openapi-fetch"] });
    const bundled = await measureBundle({ name: "bundled", entrySource, external: [] });
    expect(external.minified).toBeLessThan(100);
    expect(bundled.minified).toBeGreaterThan(external.minified + 2000);
    expect(external.modules).toEqual([]);
    expect(bundled.modules.map((m) => m.id)).toContain("node_modules/openapi-fetch/dist/index.mjs");
  });
});

describe("codeSize", () => {
  it("counts UTF-8 bytes and level-9 gzip bytes", () => {
    const code = "export const é = 'x'.repeat(3);";
    expect(codeSize(code)).toEqual({ minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });
    expect(codeSize(code).minified).toBe(code.length + 1);
  });

  it("shows gzip winning on repetitive code", () => {
    const code = "a;".repeat(1000);
    expect(codeSize(code).minified).toBe(2000);
    expect(codeSize(code).gzip).toBeLessThan(60);
  });
});

describe("testingLeaks", () => {
  const withModules = (name: string, ids: string[]) => ({
    ...bundle(name, 1),
    modules: ids.map((id) => ({ id, bytes: 1 })),
  });

  it("names each main bundle that carries a module of the testing entry", () => {
    const sizes = [
      withModules("client", ["src/client/client.ts", "src/testing/fake-firecrawl.ts"]),
      withModules("quick-start", ["src/core/validate.ts"]),
    ];
    expect(testingLeaks(sizes)).toEqual([
      "client bundles src/testing/fake-firecrawl.ts, a module of firecrawl-interact/testing",
    ]);
    expect(testingLeaks([withModules("client", ["src/testingish.ts", "src/core/testing.ts"])])).toEqual([]);
  });
});
