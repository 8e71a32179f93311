import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

const here = new URL("./", import.meta.url);
const sources = readdirSync(here).filter((file) => file.endsWith(".ts") && !/\.test(-d)?\.ts$/.test(file));

/** Every `from "…"` of a file with whether it is type-only, and every dynamic `import(…)` argument as written. */
function importsOf(file: string) {
  const source = readFileSync(new URL(file, here), "utf8");
  const statics = [...source.matchAll(/^(import|export)( type)?[^"';]*?from "([^"]+)"/gm)].map((match) => ({
    specifier: match[3] ?? "",
    typeOnly: match[2] !== undefined,
  }));
  const dynamics = [...source.matchAll(/\bimport\((.*)\);$/gm)].map((match) => match[1]);
  return { statics, dynamics };
}

describe("the firecrawl-interact/vite entry", () => {
  test("loads only Node built-ins and the server's and core's code; vite only as types and, in a server, loadEnv", () => {
    expect(sources.sort()).toEqual(["dev-proxy.ts", "index.ts", "plugin.ts"]);
    for (const file of sources) {
      const { statics } = importsOf(file);
      const outside = statics.filter(
        ({ specifier, typeOnly }) =>
          !specifier.startsWith("node:") &&
          !/^\.\.?\/(server\/|core\/)?[\w-]+\.js$/.test(specifier) &&
          !(specifier === "vite" && typeOnly),
      );
      expect([file, outside]).toEqual([file, []]);
    }
    expect(sources.flatMap((file) => importsOf(file).dynamics)).toEqual([
      "/* @vite-ignore */ EMULATOR_PACKAGE",
      "/* @vite-ignore */ pathToFileURL(path).href",
      '"vite"',
    ]);
  });
});
