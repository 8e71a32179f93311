import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from "vitest";
import { resolveChromium } from "../../packages/emulator/src/browser/chromium.js";
import { processGroupMembers } from "../../packages/emulator/src/browser/processes.js";
import { descendants, freePort, INSTALL_FLAGS, NodeChildren, runOk, waitForOutput } from "./helpers.js";

// A Vite + React app whose only Firecrawl wiring is the plugin, installed once from the packed tarballs; its dev
// server then runs on each Node release. Every child gets a temp dir of its own (TMPDIR), so "no fci-chromium-*
// folder left" is about that child only, and the Chromium binary is resolved here so none is unpacked into it.

const packs = inject("packs");
const releases = inject("runtimes").map((runtime) => [runtime.version, runtime] as const);
const { devDependencies } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  devDependencies: Record<string, string>;
};
/** How soon after SIGINT nothing of the embedded emulator may be left. */
const CLEAN_WITHIN_MS = 1_000;

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "fci-vite-app", private: true, type: "module" }),
  "vite.config.ts": `import react from "@vitejs/plugin-react";
import { firecrawlInteract } from "firecrawl-interact/vite";
import { defineConfig } from "vite";

export default defineConfig({ plugins: [react(), firecrawlInteract()] });
`,
  "index.html":
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
  "src/main.tsx": `import { createInteractClient } from "firecrawl-interact";
import { createRoot } from "react-dom/client";

const client = createInteractClient({ baseUrl: "/api/firecrawl" });
createRoot(document.getElementById("root")!).render(<button onClick={() => void client.createSession()}>Start</button>);
`,
  // Vitest's own server listens (--api.port) and runs the plugins' configureServer: this asks it for the proxy.
  "src/proxy.test.ts": `import { expect, test } from "vitest";

test("vitest's server serves no interact proxy", async () => {
  const answer = await fetch(\`http://127.0.0.1:\${process.env.FCI_VITEST_PORT}/api/firecrawl/interact\`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(answer.status).toBe(404);
});
`,
  // The published declarations, checked with every library's own .d.ts files (skipLibCheck: false).
  "types-check.ts": `import { type Emulator, type EmulatorOptions, START_PAGE_PATH, startEmulator } from "firecrawl-interact-emulator";
import { firecrawlInteract } from "firecrawl-interact/vite";
import type { Plugin } from "vite";

const options: EmulatorOptions = { startUrl: START_PAGE_PATH, closeOnSignals: true };
export const started: Promise<Emulator> = startEmulator(options);
export const plugin: Plugin = firecrawlInteract({ emulator: { warmPool: 0 }, limits: { maxTtl: 600 } });
`,
  "tsconfig.check.json": JSON.stringify({
    compilerOptions: {
      strict: true,
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      skipLibCheck: false,
      noEmit: true,
      types: ["node"],
    },
    files: ["types-check.ts"],
  }),
};

let app: string;
let chromiumPath: string;
const scratch: string[] = [];

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "fci-vite-app-"));
  await mkdir(join(app, "src"));
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(app, name), text);
  const started = performance.now();
  const dependencies = [
    packs.main,
    packs.emulator,
    "react@^19",
    "react-dom@^19",
    ...["vite", "@vitejs/plugin-react", "vitest", "typescript"].map((name) => `${name}@${devDependencies[name]}`),
  ];
  await runOk("npm", ["install", ...INSTALL_FLAGS, ...dependencies], { cwd: app });
  console.info(`[vite-app] install: ${Math.round(performance.now() - started)} ms`);
  chromiumPath = (await resolveChromium()).path;
});

afterAll(async () => {
  await Promise.all([app, ...scratch].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh TMPDIR for one child. */
async function childTmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "fci-vite-app-tmp-"));
  scratch.push(dir);
  return dir;
}

/**
 * The child's environment as a terminal's would be: its own TMPDIR, the resolved Chromium, and none of the VITEST
 * variables the vitest running this file set (with them, the plugin would rightly mount nothing).
 */
function appEnv(children: NodeChildren, tmp: string): NodeJS.ProcessEnv {
  const env = children.env({ TMPDIR: tmp, CHROMIUM_PATH: chromiumPath });
  for (const name of Object.keys(env)) if (name.startsWith("VITEST")) delete env[name];
  return env;
}

const chromiumFolders = (dir: string) => readdirSync(dir).filter((name) => name.startsWith("fci-chromium-"));
const chromiumsUnder = (pid: number) => descendants(pid).filter((info) => /chrom/i.test(info.name));

test("the emulator's and firecrawl-interact/vite's declarations type-check with skipLibCheck: false (the emulator brings the ws types)", async () => {
  const tsc = join(app, "node_modules/typescript/bin/tsc");
  const result = await runOk(process.execPath, [tsc, "-p", "tsconfig.check.json"], { cwd: app });
  expect([result.stdout, result.stderr]).toEqual(["", ""]);
});

describe.sequential.each(releases)("node %s", (_version, runtime) => {
  const children = new NodeChildren(runtime);
  const vite = () => join(app, "node_modules/vite/bin/vite.js");

  afterEach(() => {
    children.killAll();
  });

  test("vite serves the app and a live session through /api/firecrawl; SIGINT leaves no Chromium and no temp folder within 1 s", async () => {
    const tmp = await childTmp();
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const server = children.start(
      children.node,
      [vite(), "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
      {
        cwd: app,
        env: appEnv(children, tmp),
      },
    );
    const startedAt = performance.now();
    await waitForOutput(server, new RegExp(`${origin}/`), 60_000);
    const vitePid = server.child.pid ?? -1;
    const module = await fetch(`${origin}/src/main.tsx`);
    expect([module.status, module.headers.get("content-type")]).toEqual([200, "text/javascript"]);
    expect(await module.text()).toContain("createInteractClient");
    // Lazy: serving the app started no browser.
    expect(chromiumsUnder(vitePid)).toEqual([]);

    const created = await fetch(`${origin}/api/firecrawl/interact`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(created.status).toBe(200);
    const session = (await created.json()) as Record<string, unknown>;
    // Live-view URLs carry tokens: only their shape is checked, never printed.
    expect([typeof session.id, typeof session.liveViewUrl, session.cdpUrl]).toEqual(["string", "string", undefined]);
    const view = await fetch(String(session.liveViewUrl));
    expect([view.status, view.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    await view.body?.cancel();
    const opened = await fetch(`${origin}/api/firecrawl/interact/${String(session.id)}/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "page.url()" }),
    });
    const liveOrigin = new URL(String(session.liveViewUrl)).origin;
    expect([opened.status, (await opened.json()).result]).toEqual([200, `${liveOrigin}/__emulator/start`]);
    const sessionMs = Math.round(performance.now() - startedAt);

    const browsers = chromiumsUnder(vitePid);
    expect(browsers.length).toBeGreaterThan(0);
    expect(chromiumFolders(tmp).length).toBeGreaterThan(0);
    const groups = [...new Set(browsers.map((info) => info.pgrp))];
    const signalledAt = performance.now();
    process.kill(vitePid, "SIGINT");
    const left = () => ({
      processes: groups.flatMap((group) => processGroupMembers(group)),
      folders: chromiumFolders(tmp),
    });
    while (performance.now() - signalledAt < CLEAN_WITHIN_MS) {
      const now = left();
      if (now.processes.length === 0 && now.folders.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(left()).toEqual({ processes: [], folders: [] });
    const cleanMs = Math.round(performance.now() - signalledAt);
    // The signal, raised again once the emulator is closed, ends Vite as it would have.
    expect(await server.exited).toBe(null);
    expect(server.child.signalCode).toBe("SIGINT");
    console.info(
      `[vite-app] node ${runtime.version}: vite up → live session ${sessionMs} ms; SIGINT → clean ${cleanMs} ms, exited ${Math.round(performance.now() - signalledAt)} ms`,
    );
  });

  test("vitest run in the app passes and starts no Chromium: the plugin mounts nothing under vitest", async () => {
    const tmp = await childTmp();
    const port = String(await freePort());
    const args = [join(app, "node_modules/vitest/vitest.mjs"), "run", "--api.host", "127.0.0.1", "--api.port", port];
    const vitest = children.start(children.node, args, {
      cwd: app,
      env: { ...appEnv(children, tmp), FCI_VITEST_PORT: port },
    });
    const startedAt = performance.now();
    const seen = new Set<string>();
    const watch = setInterval(() => {
      for (const info of chromiumsUnder(vitest.child.pid ?? -1)) seen.add(info.name);
    }, 50);
    const code = await vitest.exited.finally(() => clearInterval(watch));
    const { stdout, stderr } = vitest.output();
    expect(code).toBe(0);
    expect(stdout).toMatch(/Tests\s+1 passed \(1\)/);
    expect(stderr).not.toContain("close timed out");
    expect([[...seen], chromiumFolders(tmp)]).toEqual([[], []]);
    console.info(`[vite-app] node ${runtime.version}: vitest run ${Math.round(performance.now() - startedAt)} ms`);
  });
});
