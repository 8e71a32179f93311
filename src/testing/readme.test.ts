import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readmeTestingFiles } from "./readme/extract.js";

const README = new URL("../../README.md", import.meta.url).pathname;
const EXAMPLES = new URL("./readme/", import.meta.url).pathname;

// The README's testing examples run as the react project's tests (src/testing/readme/*.test.tsx); this keeps the
// README's blocks and those files the same, character for character.
describe('README "Testing your app"', () => {
  const files = readmeTestingFiles(README);

  it("shows exactly the example files that run as tests", () => {
    const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith(".tsx"));
    expect(Object.keys(files).sort()).toEqual(examples.sort());
    expect(examples.sort()).toEqual([
      "browser.test.tsx",
      "browser.tsx",
      "scrape-browser.test.tsx",
      "scrape-browser.tsx",
    ]);
  });

  for (const name of ["browser.tsx", "browser.test.tsx", "scrape-browser.tsx", "scrape-browser.test.tsx"]) {
    it(`shows ${name} as it runs`, () => {
      expect(files[name]).toBe(readFileSync(`${EXAMPLES}${name}`, "utf8"));
    });
  }

  it("keeps each component test's setup within 10 lines (from the test's start to its first action)", () => {
    for (const name of ["browser.test.tsx", "scrape-browser.test.tsx"]) {
      const tests = (files[name] ?? "").split(/\ntest\(/).slice(1);
      expect(tests.length).toBeGreaterThan(0);
      for (const body of tests) {
        const lines = body.split("\n").slice(1);
        const setup = lines.slice(
          0,
          lines.findIndex((line) => line.trim() === ""),
        );
        expect(setup.length, `${name}: ${setup.join("\n")}`).toBeLessThanOrEqual(10);
      }
    }
  });
});
