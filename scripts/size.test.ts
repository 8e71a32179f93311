import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { codeSize, measureBundle } from "./bundle-size.js";
import { budgetViolations, SIZE_BUDGETS, sizeReport } from "./size.js";

describe("budgetViolations", () => {
  const budgets = [{ name: "client+react", maxGzip: 4000 }];
  const cases = [
    { gzip: 3999, expected: [] },
    { gzip: 4000, expected: [] },
    { gzip: 4001, expected: ["client+react is 4.00 kB min+gz, over its 4.00 kB budget by 1 bytes"] },
    { gzip: 5250, expected: ["client+react is 5.25 kB min+gz, over its 4.00 kB budget by 1250 bytes"] },
  ];
  for (const { gzip, expected } of cases) {
    it(`${gzip} bytes gives ${expected.length} violation(s)`, () => {
      expect(budgetViolations([{ name: "client+react", minified: 9000, gzip, modules: [] }], budgets)).toEqual(
        expected,
      );
    });
  }

  it("fails a budget whose bundle was not measured instead of passing it silently", () => {
    expect(budgetViolations([{ name: "client", minified: 1, gzip: 1, modules: [] }], budgets)).toEqual([
      "client+react: no bundle of that name was measured",
    ]);
  });

  it("enforces a ceiling on client + react together and keeps issue 7's 4 kB as the target", () => {
    expect(SIZE_BUDGETS).toEqual([{ name: "client+react", maxGzip: 5600, targetGzip: 4000 }]);
  });
});

describe("sizeReport", () => {
  it("marks budgeted rows ok or OVER and leaves the others plain", () => {
    const report = sizeReport(
      [
        { name: "client", minified: 9510, gzip: 3110, modules: [] },
        { name: "client+react", minified: 12000, gzip: 4100, modules: [] },
      ],
      [{ name: "client+react", maxGzip: 4000 }],
    ).split("\n");
    expect(report).toHaveLength(3);
    expect(report[1]).toMatch(/^ {2}client +9\.51 kB min +3\.11 kB min\+gz {2}$/);
    expect(report[2]).toMatch(/client\+react +12\.00 kB min +4\.10 kB min\+gz {2}OVER \(budget 4\.00 kB\)$/);
  });

  it("prints the distance to a target, or that it is met", () => {
    const row = (gzip: number) =>
      sizeReport(
        [{ name: "b", minified: 1, gzip, modules: [] }],
        [{ name: "b", maxGzip: 5600, targetGzip: 4000 }],
      ).split("\n")[1];
    expect(row(5519)).toMatch(/ok \(budget 5\.60 kB; target 4\.00 kB, 1519 B to go\)$/);
    expect(row(3990)).toMatch(/ok \(budget 5\.60 kB; target 4\.00 kB met\)$/);
    expect(row(5601)).toMatch(/OVER \(budget 5\.60 kB; target 4\.00 kB, 1601 B to go\)$/);
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
