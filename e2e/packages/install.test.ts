import { existsSync, readFileSync, realpathSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, inject, test } from "vitest";
import { processGroupMembers } from "../../packages/emulator/src/browser/processes.js";
import {
  descendants,
  duKib,
  freePort,
  INSTALL_FLAGS,
  installedPackages,
  killGroup,
  NodeChildren,
  poll,
  waitForOutput,
} from "./helpers.js";

const packs = inject("packs");
/** One row per Node release for describe.each: [version, runtime], so suite names read "node 22.12.0". */
const releases = inject("runtimes").map((runtime) => [runtime.version, runtime] as const);

const SERVER_SCRIPT = `
import { createServer } from "node:http";
import { createInteractClient, InteractApiError } from "firecrawl-interact";
import { createInteractHandler, createInteractMiddleware } from "firecrawl-interact/server";
import { operations } from "firecrawl-interact/core";

const keySet = "FIRECRAWL_API_KEY" in process.env;
const client = createInteractClient({ baseUrl: "http://127.0.0.1:9/v2" });
const handler = createInteractHandler({ basePath: "/api/firecrawl", limits: { maxTtl: 600 }, authorize: () => ({ userId: "u1" }) });
const answer = await handler(
  new Request("http://app.test/api/firecrawl/interact", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  }),
);
const server = createServer(createInteractMiddleware({ authorize: () => ({ userId: "u1" }) }));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = "http://127.0.0.1:" + server.address().port;
const viaNode = await fetch(origin + "/api/firecrawl/interact");
const outside = await fetch(origin + "/elsewhere");
server.close();
console.log(JSON.stringify({
  keySet,
  methods: ["createSession", "listSessions", "execute", "deleteSession", "interact", "stopInteraction"].map(
    (name) => typeof client[name],
  ),
  apiError: typeof InteractApiError,
  operationIds: Object.keys(operations).filter((id) => !id.endsWith("Alias")).sort(),
  ttlDefault: operations.createBrowserSession.body.properties.ttl.default,
  handler: { status: answer.status, type: answer.headers.get("content-type"), body: await answer.json() },
  middleware: { status: viaNode.status, body: await viaNode.json(), outside: outside.status },
}));
`;

// require() of the ES-module-only package: the reason engines starts at 20.19 and 22.12.
const COMMONJS_SCRIPT = `
const { createInteractClient, InteractApiError } = require("firecrawl-interact");
const { createInteractHandler, createInteractMiddleware } = require("firecrawl-interact/server");
const { operations } = require("firecrawl-interact/core");
console.log(JSON.stringify({
  exports: [createInteractClient, InteractApiError, createInteractHandler, createInteractMiddleware].map((f) => typeof f),
  ttlDefault: operations.createBrowserSession.body.properties.ttl.default,
}));
`;

const MISSING_KEY = {
  success: false,
  code: "missing_api_key",
  error: "FIRECRAWL_API_KEY is not set: the interact proxy has no API key",
};

const CLIENT_MODULES = [
  "src/react-query/queries.js",
  "src/react/live-view.js",
  "src/react/provider.js",
  "src/react/use-controller.js",
  "src/react/use-interact-session.js",
  "src/react/use-scrape-interaction.js",
];

/** Every .js file of the installed package's dist whose first statement is the "use client" directive. */
async function useClientFiles(dist: string): Promise<string[]> {
  const files = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith(".js"));
  return files.filter((file) => /^["']use client["'];?\n/.test(readFileSync(join(dist, file), "utf8"))).sort();
}

// The README's Vite recipe: the proxy on `vite` and `vite preview`, with .env files read through loadEnv.
const VITE_CONFIG = `import { createInteractMiddleware } from "firecrawl-interact/server";
import { defineConfig, loadEnv, type Plugin } from "vite";

function firecrawlInteract(apiKey: string | undefined): Plugin {
  const proxy = createInteractMiddleware({
    apiKey,
    basePath: "/api/firecrawl",
    limits: { maxTtl: 600 },
    authorize: () => ({ userId: "local-developer" }), // one developer; an app names its signed-in user here
  });
  return {
    name: "firecrawl-interact",
    configureServer: (server) => {
      server.middlewares.use(proxy);
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(proxy);
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [firecrawlInteract(loadEnv(mode, process.cwd(), "FIRECRAWL_").FIRECRAWL_API_KEY)],
}));
`;

// Each release gets its own app folder: the main tarball alone first, then React, the emulator and Vite beside it.
// The releases run at the same time (installs wait on npm's cache more than on the CPU); each one's steps in order.
describe.concurrent.each(releases)("node %s", (_version, runtime) => {
  const children = new NodeChildren(runtime);
  let app: string;

  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), `fci-install-${runtime.version}-`));
    await writeFile(
      join(app, "package.json"),
      JSON.stringify({ name: "fci-install-check", private: true, type: "module" }),
    );
    // --engine-strict: the install fails unless the package's engines (and its dependencies') accept this release.
    await children.runOk("npm", ["install", ...INSTALL_FLAGS, "--engine-strict", packs.main], { cwd: app });
  });

  afterEach(() => {
    children.killAll();
  });

  afterAll(async () => {
    children.killAll();
    if (app) await rm(app, { recursive: true, force: true });
  });

  /** Runs a script in the app folder on this release (FIRECRAWL_API_KEY unset) and parses the JSON it prints. */
  async function nodeScript(name: string, source: string): Promise<unknown> {
    await writeFile(join(app, name), source);
    const { stdout } = await children.runOk(children.node, [name], { cwd: app });
    return JSON.parse(stdout);
  }

  describe.sequential("packed firecrawl-interact, installed alone", () => {
    test("the children's node, npm and npm's scripts run this release", async ({ expect }) => {
      const onPath = await children.runOk("node", ["--version"], { cwd: app });
      const npm = await children.runOk("npm", ["version", "--json"], { cwd: app });
      const script = await children.runOk("npm", ["exec", "--call", "node --version"], { cwd: app });
      expect([onPath.stdout, (JSON.parse(npm.stdout) as { node: string }).node, script.stdout]).toEqual([
        `v${runtime.version}\n`,
        runtime.version,
        `v${runtime.version}\n`,
      ]);
    });

    test("brings only openapi-fetch: no Chromium, playwright, ws, React or TanStack", async ({ expect }) => {
      expect(installedPackages(join(app, "node_modules"))).toEqual([
        "firecrawl-interact",
        "openapi-fetch",
        "openapi-typescript-helpers",
      ]);
      const kib = await duKib(join(app, "node_modules"));
      console.info(`main tarball installed alone: node_modules ${kib} KiB`);
      // The client, server and spec entries with their maps and types; a bundled dependency would blow this.
      expect(kib).toBeLessThan(2048);
    });

    test("loads /, /server and /core in plain Node; with no key the proxy answers the missing_api_key 500", async ({
      expect,
    }) => {
      expect(await nodeScript("server-check.mjs", SERVER_SCRIPT)).toEqual({
        keySet: false,
        methods: ["function", "function", "function", "function", "function", "function"],
        apiError: "function",
        operationIds: [
          "createBrowserSession",
          "deleteBrowserSession",
          "executeBrowserCode",
          "getBrowserSession",
          "interactWithScrapeBrowserSession",
          "listBrowserSessions",
          "stopInteractiveScrapeBrowserSession",
        ],
        ttlDefault: 600,
        handler: { status: 500, type: "application/json", body: MISSING_KEY },
        middleware: { status: 500, body: MISSING_KEY, outside: 404 },
      });
    });

    test("a CommonJS script require()s /, /server and /core", async ({ expect }) => {
      expect(await nodeScript("commonjs-check.cjs", COMMONJS_SCRIPT)).toEqual({
        exports: ["function", "function", "function", "function"],
        ttlDefault: 600,
      });
    });

    test("only the hooks, the provider and <LiveView> are client modules; the entries, keys and options are not", async ({
      expect,
    }) => {
      const dist = join(app, "node_modules/firecrawl-interact/dist");
      expect(await useClientFiles(dist)).toEqual(CLIENT_MODULES);
      for (const file of ["react.js", "react-query.js", "src/react-query/keys.js", "src/react-query/options.js"]) {
        expect(readFileSync(join(dist, file), "utf8")).not.toContain("use client");
      }
    });
  });

  describe.sequential("with React and TanStack Query beside it", () => {
    beforeAll(async () => {
      await children.runOk(
        "npm",
        ["install", ...INSTALL_FLAGS, "react@^19", "react-dom@^19", "@tanstack/react-query@^5.89"],
        {
          cwd: app,
        },
      );
    });

    test("the query options and keys of /react-query run in plain Node, outside any React client runtime", async ({
      expect,
    }) => {
      const kib = await duKib(join(app, "node_modules"));
      console.info(`main tarball + react, react-dom, @tanstack/react-query: node_modules ${kib} KiB`);
      const result = await nodeScript(
        "react-check.mjs",
        `import { createInteractClient } from "firecrawl-interact";
import { interactKeys, listSessionsQueryOptions } from "firecrawl-interact/react-query";
const options = listSessionsQueryOptions(createInteractClient({ baseUrl: "http://127.0.0.1:9/v2" }), { status: "active" });
console.log(JSON.stringify({ all: interactKeys.all, key: options.queryKey, queryFn: typeof options.queryFn }));`,
      );
      expect(result).toEqual({
        all: ["firecrawl-interact"],
        key: ["firecrawl-interact", "sessions", { status: "active" }],
        queryFn: "function",
      });
    });
  });

  describe.sequential("packed firecrawl-interact-emulator, installed beside it", () => {
    let installWarnings = "";

    beforeAll(async () => {
      ({ stderr: installWarnings } = await children.runOk("npm", ["install", ...INSTALL_FLAGS, packs.emulator], {
        cwd: app,
      }));
    });

    test("its engines accept this release; below Node 24 npm warns only about agent-browser's", ({ expect }) => {
      const flagged = [...installWarnings.matchAll(/EBADENGINE\s+package: '(.+?)@/g)].map((match) => match[1]);
      expect(flagged).toEqual(Number(runtime.version.split(".")[0]) < 24 ? ["agent-browser"] : []);
    });

    test("shares the installed core instead of carrying its own copy", ({ expect }) => {
      const modules = join(app, "node_modules");
      expect(installedPackages(modules)).toEqual(
        expect.arrayContaining(["@sparticuz/chromium", "firecrawl-interact-emulator", "playwright-core", "ws"]),
      );
      expect(existsSync(join(modules, "firecrawl-interact-emulator/node_modules/firecrawl-interact"))).toBe(false);
    });

    test("npx firecrawl-interact-emulator serves a live session and, on SIGTERM, exits leaving no Chromium", async ({
      expect,
    }) => {
      // Default warm pool (1): after the session is deleted a refilled browser is still up for SIGTERM to clean up.
      const npx = children.start("npx", ["--no-install", "firecrawl-interact-emulator", "--port", "0"], { cwd: app });
      const [, url = ""] = await waitForOutput(
        npx,
        /Firecrawl interact emulator: (http:\/\/127\.0\.0\.1:\d+\/v2)\n/,
        30_000,
      );
      const headers = { authorization: "Bearer fc-packages-test", "content-type": "application/json" };
      const created = await fetch(`${url}/interact`, { method: "POST", headers, body: "{}" });
      expect(created.status).toBe(200);
      const session = (await created.json()) as Record<string, unknown>;
      // Live-view and CDP URLs carry tokens: only their shape is checked, never printed.
      expect([typeof session.id, typeof session.liveViewUrl, typeof session.cdpUrl]).toEqual([
        "string",
        "string",
        "string",
      ]);
      expect(new URL(String(session.liveViewUrl)).origin === new URL(url).origin).toBe(true);
      const view = await fetch(String(session.liveViewUrl));
      expect(view.status).toBe(200);
      expect(view.headers.get("content-type")?.split(";")[0]).toBe("text/html");
      await view.body?.cancel();

      // npx runs the bin through a shell: the CLI is the process running it (`node <bin>`; found by its argv, as Node
      // 24 renames its main thread and so the command name to MainThread), on this release, each Chromium its child.
      const cli = await poll("the CLI process under npx", () =>
        descendants(npx.child.pid ?? -1).find((info) => info.argv[1]?.endsWith("/.bin/firecrawl-interact-emulator")),
      );
      expect(realpathSync(`/proc/${cli.pid}/exe`)).toBe(realpathSync(runtime.node));
      const chromiums = () => descendants(cli.pid).filter((info) => /chrom/i.test(info.name) && info.ppid === cli.pid);
      const sessionBrowsers = chromiums();
      expect(sessionBrowsers.length).toBeGreaterThan(0);

      const deleted = await fetch(`${url}/interact/${String(session.id)}`, { method: "DELETE", headers });
      expect(deleted.status).toBe(200);
      await deleted.body?.cancel();
      const warm = await poll("the refilled warm browser", () => {
        const found = chromiums();
        return found.length > 0 ? found : undefined;
      });

      // npm exec does not forward signals to the bin, so the signal goes to the CLI itself, as a terminal's would.
      process.kill(cli.pid, "SIGTERM");
      expect(await npx.exited).toBe(143);
      const groups = new Set([cli.pgrp, ...[...sessionBrowsers, ...warm].map((info) => info.pgrp)]);
      expect([...groups].flatMap((group) => processGroupMembers(group))).toEqual([]);
    });
  });

  describe.sequential("the Vite recipe on the installed package", () => {
    beforeAll(async () => {
      const { devDependencies } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
        devDependencies: Record<string, string>;
      };
      await children.runOk("npm", ["install", ...INSTALL_FLAGS, `vite@${devDependencies.vite}`], { cwd: app });
      await writeFile(join(app, "vite.config.ts"), VITE_CONFIG);
      await writeFile(
        join(app, "index.html"),
        '<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>',
      );
      await writeFile(join(app, "main.js"), 'document.body.append("ok");\n');
    });

    test("vite build needs no key; vite and vite preview both serve the proxy's missing_api_key 500", async ({
      expect,
    }) => {
      const vite = join(app, "node_modules/vite/bin/vite.js");
      await children.runOk(children.node, [vite, "build"], { cwd: app });
      for (const command of ["preview", "serve"]) {
        const port = String(await freePort());
        const server = children.start(
          children.node,
          [vite, command, "--host", "127.0.0.1", "--port", port, "--strictPort"],
          {
            cwd: app,
          },
        );
        try {
          await waitForOutput(server, new RegExp(`http://127\\.0\\.0\\.1:${port}/`), 30_000);
          const answer = await fetch(`http://127.0.0.1:${port}/api/firecrawl/interact`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          });
          expect([command, answer.status, await answer.json()]).toEqual([command, 500, MISSING_KEY]);
          const page = await fetch(`http://127.0.0.1:${port}/`);
          expect([command, page.status, page.headers.get("content-type")?.split(";")[0]]).toEqual([
            command,
            200,
            "text/html",
          ]);
          await page.body?.cancel();
        } finally {
          killGroup(server.child);
          await server.exited;
        }
      }
    });
  });

  describe.sequential("server-rendered on React 18", () => {
    let app18: string;

    beforeAll(async () => {
      app18 = await mkdtemp(join(tmpdir(), "fci-react18-"));
      await writeFile(
        join(app18, "package.json"),
        JSON.stringify({ name: "fci-react18", private: true, type: "module" }),
      );
      const react18 = ["react@18.3.1", "react-dom@18.3.1", "@tanstack/react-query@^5.89"];
      await children.runOk("npm", ["install", ...INSTALL_FLAGS, packs.main, ...react18], { cwd: app18 });
    });

    afterAll(async () => {
      if (app18) await rm(app18, { recursive: true, force: true });
    });

    test("the quick start renders to a string with no warning (React 18 warns about useLayoutEffect on the server)", async ({
      expect,
    }) => {
      const script = join(app18, "ssr.mjs");
      await writeFile(
        script,
        `import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { createInteractClient } from "firecrawl-interact";
import { InteractProvider, LiveView, useInteractSession } from "firecrawl-interact/react";
const client = createInteractClient({ baseUrl: "http://127.0.0.1:9/v2" });
function Browser() {
  const s = useInteractSession({ autoStart: true, body: { ttl: 60 } });
  return h(LiveView, { session: s.session, status: s.status, interactive: true });
}
console.log(renderToString(h(InteractProvider, { client }, h(Browser))));`,
      );
      const result = await children.runOk(children.node, [script], { cwd: app18 });
      expect(JSON.parse(readFileSync(join(app18, "node_modules/react/package.json"), "utf8")).version).toBe("18.3.1");
      expect(result.stderr).toBe("");
      expect(result.stdout).toContain('data-state="idle"');
    });
  });
});
