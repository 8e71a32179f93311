import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from "vitest";
import { runtimeGraph } from "../../scripts/import-graph.js";
import { INSTALL_FLAGS, installedPackages, NodeChildren, runOk } from "./helpers.js";

// The README's React quick start in an app with the main tarball, react, react-dom and vite: no TanStack Query
// installed, so any import of it (or a bundler's optional-peer stub of it) fails the build or the render.

const packs = inject("packs");
const releases = inject("runtimes").map((runtime) => [runtime.version, runtime] as const);
const { devDependencies } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  devDependencies: Record<string, string>;
};

/** The first tsx block of the README's "React quick start" section, verbatim. */
function quickStart(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## React quick start"));
  const block = /```tsx\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no tsx block under ## React quick start");
  return block;
}

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "fci-react-alone", private: true, type: "module" }),
  "tsconfig.json": JSON.stringify({ compilerOptions: { jsx: "react-jsx", module: "esnext", target: "es2022" } }),
  "index.html":
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
  "src/main.tsx": `import { createRoot } from "react-dom/client";
import { App } from "./quick-start";

createRoot(document.getElementById("root")!).render(<App />);
`,
  // The same quick start rendered on the server by the release under test, with plain Node and nothing bundled.
  "ssr.mjs": `import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { createInteractClient } from "firecrawl-interact";
import { InteractProvider, LiveView, useInteractSession } from "firecrawl-interact/react";
const client = createInteractClient({ baseUrl: "http://127.0.0.1:9/v2" });
function Browser() {
  const s = useInteractSession({ body: { ttl: 600 } });
  return h(LiveView, { session: s.session, status: s.status, interactive: true, allowFullscreen: true });
}
console.log(renderToString(h(InteractProvider, { client }, h(Browser))));
`,
};

let app: string;

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "fci-react-alone-"));
  await mkdir(join(app, "src"));
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(app, name), text);
  await writeFile(join(app, "src/quick-start.tsx"), quickStart());
  const dependencies = [packs.main, "react@^19", "react-dom@^19", `vite@${devDependencies.vite}`];
  await runOk("npm", ["install", ...INSTALL_FLAGS, ...dependencies], { cwd: app });
});

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

test("the app has no TanStack package, and the built firecrawl-interact/react loads none", () => {
  const modules = join(app, "node_modules");
  expect(installedPackages(modules).filter((name) => name.startsWith("@tanstack/"))).toEqual([]);
  const { modules: files, packages } = runtimeGraph(join(modules, "firecrawl-interact/dist"), "react.js");
  expect(files).toContain("src/react/use-interact-session.js");
  expect(packages).toEqual(["react", "react/jsx-runtime"]);
});

describe.sequential.each(releases)("node %s", (_version, runtime) => {
  const children = new NodeChildren(runtime);

  afterEach(() => {
    children.killAll();
  });

  test("vite build bundles the README quick start with no TanStack installed", async () => {
    const outDir = `dist-${runtime.version}`;
    await children.runOk(children.node, [join(app, "node_modules/vite/bin/vite.js"), "build", "--outDir", outDir], {
      cwd: app,
    });
    const assets = join(app, outDir, "assets");
    const scripts = readdirSync(assets).filter((file) => file.endsWith(".js"));
    expect(scripts).toHaveLength(1);
    const bundle = readFileSync(join(assets, scripts[0] ?? ""), "utf8");
    // Our code is in (the live view's accessible names), no optional-peer stub or TanStack code is.
    expect(["Live browser view", "No live session"].map((text) => bundle.includes(text))).toEqual([true, true]);
    expect([/tanstack/i.test(bundle), bundle.includes("__vite-optional-peer-dep")]).toEqual([false, false]);
  });

  test("the quick start renders on the server with react alone: idle, no request, no warning", async () => {
    const result = await children.runOk(children.node, ["ssr.mjs"], { cwd: app });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain('data-state="idle"');
    expect(result.stdout).toContain("No live session");
  });
});
