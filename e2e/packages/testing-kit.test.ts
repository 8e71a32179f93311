import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { readmeTestingFiles } from "../../src/testing/readme/extract.js";
import { childEnv, INSTALL_FLAGS, killAll, runOk } from "./helpers.js";

// An empty app with the main tarball and what the README's "Testing your app" says to install, whose only files are
// that section's code blocks: its component tests run in jsdom against the fake, as a reader's would.

const packs = inject("packs");
const { devDependencies } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  devDependencies: Record<string, string>;
};
const files = readmeTestingFiles(new URL("../../README.md", import.meta.url).pathname);
let app: string;

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "fci-testing-kit-"));
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ name: "fci-testing-kit", private: true, type: "module" }),
  );
  for (const [name, text] of Object.entries(files)) await writeFile(join(app, name), text);
  // The README's install line (vitest, jsdom, @testing-library/react), at the versions this repository tests with.
  const dependencies = [
    packs.main,
    "react@^19",
    "react-dom@^19",
    ...["vitest", "jsdom", "@testing-library/react"].map((name) => `${name}@${devDependencies[name]}`),
  ];
  await runOk("npm", ["install", ...INSTALL_FLAGS, ...dependencies], { cwd: app });
});

afterAll(async () => {
  killAll();
  if (app) await rm(app, { recursive: true, force: true });
});

/** A terminal's environment: none of the VITEST variables of the vitest running this file. */
function appEnv(): NodeJS.ProcessEnv {
  const env = childEnv();
  for (const name of Object.keys(env)) if (name.startsWith("VITEST")) delete env[name];
  return env;
}

test("the README's testing section is two components and their tests, and nothing else is written", () => {
  // Neither optional peer is needed: the fake takes msw's http only when handlers() is called, and /react needs no TanStack.
  expect(["msw", "@tanstack/react-query"].filter((name) => existsSync(join(app, "node_modules", name)))).toEqual([]);
  expect(Object.keys(files).sort()).toEqual([
    "browser.test.tsx",
    "browser.tsx",
    "scrape-browser.test.tsx",
    "scrape-browser.tsx",
  ]);
});

test("its component tests pass in jsdom against the packed firecrawl-interact/testing, with no config", async () => {
  const vitest = join(app, "node_modules/vitest/vitest.mjs");
  const { stdout } = await runOk(process.execPath, [vitest, "run", "--reporter=verbose"], { cwd: app, env: appEnv() });
  expect(stdout).toMatch(/Test Files\s+2 passed \(2\)/);
  expect(stdout).toMatch(/Tests\s+3 passed \(3\)/);
  for (const name of [
    "Start shows the live view, Stop ends the session",
    "at the session limit, the 429 shows",
    "scrape, ask the agent, take over the live view, stop",
  ]) {
    expect(stdout).toContain(name);
  }
});
