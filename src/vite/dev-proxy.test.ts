import { describe, expect, test, vi } from "vitest";
import { createMemoryOwnerStore } from "../server/owners.js";
import {
  createDevProxy,
  type DevProxySettings,
  type EmbeddedEmulator,
  type EmulatorModule,
  importEmulatorPackage,
} from "./dev-proxy.js";

const MISSING_KEY = {
  success: false,
  code: "missing_api_key",
  error: "FIRECRAWL_API_KEY is not set: the interact proxy has no API key",
};

function settings(overrides: Partial<DevProxySettings> = {}) {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const value: DevProxySettings = {
    apiKey: undefined,
    handler: {
      basePath: "/api/firecrawl",
      authorize: () => ({ userId: "local-developer" }),
      store: createMemoryOwnerStore(),
    },
    emulator: {},
    logger,
    importEmulator: () => Promise.reject(new Error("no importer in this test")),
    ...overrides,
  };
  return { settings: value, logger };
}

const create = () =>
  new Request("http://localhost/api/firecrawl/interact", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });

/** What `import("firecrawl-interact-emulator")` throws when the package is not installed. */
const notInstalled = () =>
  Promise.reject(
    Object.assign(new Error("Cannot find package 'firecrawl-interact-emulator'"), {
      code: "ERR_MODULE_NOT_FOUND",
    }),
  );

describe("the dev proxy without a key", () => {
  test("the emulator not installed: the missing_api_key 500, and one hint that says what to do", async () => {
    const { settings: s, logger } = settings({ importEmulator: notInstalled });
    const proxy = createDevProxy(s);
    for (let i = 0; i < 3; i++) {
      const answer = await proxy.handler(create());
      expect([answer.status, await answer.json()]).toEqual([500, MISSING_KEY]);
    }
    expect(logger.warn.mock.calls).toEqual([
      [
        "firecrawl-interact: FIRECRAWL_API_KEY is not set (in the project's .env files or the environment) and " +
          "firecrawl-interact-emulator is not installed, so /api/firecrawl answers 500 missing_api_key. Set the key, " +
          "or run `npm i -D firecrawl-interact-emulator` to work offline on a local emulator.",
      ],
    ]);
    expect([logger.info.mock.calls, logger.error.mock.calls]).toEqual([[], []]);
    await proxy.close();
  });

  test("emulator: false: the missing_api_key 500 with its own hint, and nothing is imported", async () => {
    const importEmulator = vi.fn(notInstalled);
    const { settings: s, logger } = settings({ emulator: false, importEmulator });
    const answer = await createDevProxy(s).handler(create());
    expect([answer.status, await answer.json()]).toEqual([500, MISSING_KEY]);
    expect(logger.warn.mock.calls).toEqual([
      [
        "firecrawl-interact: FIRECRAWL_API_KEY is not set (in the project's .env files or the environment) and the " +
          "emulator is off (emulator: false), so /api/firecrawl answers 500 missing_api_key.",
      ],
    ]);
    expect(importEmulator).not.toHaveBeenCalled();
  });

  test("created, it imports nothing; once closed, a request starts nothing and is a 503", async () => {
    const importEmulator = vi.fn(notInstalled);
    const { settings: s } = settings({ importEmulator });
    const proxy = createDevProxy(s);
    expect(importEmulator).not.toHaveBeenCalled();
    await proxy.close();
    const answer = await proxy.handler(create());
    expect([answer.status, (await answer.json()).code]).toEqual([503, "unavailable"]);
    expect(importEmulator).not.toHaveBeenCalled();
  });

  test("an emulator that can't start: 503 unavailable, the reason in the log, and the next request tries again", async () => {
    const startEmulator = vi.fn(() => Promise.reject(new Error("no Chromium on this machine")));
    const module: EmulatorModule = { startEmulator, START_PAGE_PATH: "/__emulator/start" };
    const { settings: s, logger } = settings({ importEmulator: async () => module });
    const proxy = createDevProxy(s);
    for (let i = 0; i < 2; i++) {
      const answer = await proxy.handler(create());
      expect([answer.status, await answer.json()]).toEqual([
        503,
        {
          success: false,
          code: "unavailable",
          error: "The local emulator could not start: see the dev server's log",
        },
      ]);
    }
    expect(startEmulator).toHaveBeenCalledTimes(2);
    expect(logger.error.mock.calls).toEqual([
      ["firecrawl-interact: the local emulator could not start: Error: no Chromium on this machine"],
      ["firecrawl-interact: the local emulator could not start: Error: no Chromium on this machine"],
    ]);
  });

  test("the emulator gets a random key of its own, opens sessions on its start page, and is closed once", async () => {
    const close = vi.fn(async () => undefined);
    const emulator: EmbeddedEmulator = { url: "http://127.0.0.1:9/v2", origin: "http://127.0.0.1:9", close };
    const startEmulator = vi.fn(async () => emulator);
    const upstream = vi.fn(async () => Response.json({ success: true, sessions: [] }));
    const { settings: s, logger } = settings({
      importEmulator: async () => ({ startEmulator, START_PAGE_PATH: "/__emulator/start" }),
      emulator: { warmPool: 0 },
      handler: { ...settings().settings.handler, fetch: upstream },
    });
    const proxy = createDevProxy(s);
    const list = () => proxy.handler(new Request("http://localhost/api/firecrawl/interact"));
    const [first, second] = await Promise.all([list(), list()]);
    expect([first?.status, second?.status]).toEqual([200, 200]);
    expect(startEmulator).toHaveBeenCalledTimes(1);
    const [options] = startEmulator.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(options).toEqual({
      startUrl: "/__emulator/start",
      quiet: true,
      warmPool: 0,
      apiKey: expect.stringMatching(/^fci-dev-[0-9a-f]{32}$/),
      closeOnSignals: true,
    });
    const [url, init] = upstream.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("http://127.0.0.1:9/v2/interact");
    expect(new Headers(init.headers).get("authorization")).toBe(`Bearer ${String(options.apiKey)}`);
    expect(logger.info.mock.calls).toEqual([
      ["firecrawl-interact: no FIRECRAWL_API_KEY, so /api/firecrawl talks to a local emulator at http://127.0.0.1:9"],
    ]);
    await Promise.all([proxy.close(), proxy.close()]);
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe("importEmulatorPackage", () => {
  test("loads the emulator module (here its sources, through the test aliases)", async () => {
    const module = await importEmulatorPackage(process.cwd());
    expect([typeof module.startEmulator, module.START_PAGE_PATH]).toEqual(["function", "/__emulator/start"]);
  });
});
