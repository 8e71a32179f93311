import type { Plugin, PreviewServer, ResolvedConfig, ViteDevServer } from "vite";
import { DEFAULT_BASE_PATH } from "../core/defaults.js";
import type { InteractHandlerOptions } from "../server/handler.js";
import type { InteractProxyLimits } from "../server/limits.js";
import { toNodeHandler } from "../server/node.js";
import { createMemoryOwnerStore, type OwnerStore } from "../server/owners.js";
import { createDevProxy, type DevProxy, type EmbeddedEmulatorOptions, importEmulatorPackage } from "./dev-proxy.js";

/** The one user of a dev server unless `authorize` names others: the developer running it. */
export const LOCAL_DEVELOPER = "local-developer";

/**
 * What the plugin allows unless `limits` says otherwise: execute, scrape and scrape interaction, which the
 * playground's flows (run code, scrape a page, interact with it) need. A dev server has one user, the developer.
 */
export const DEV_LIMITS: Readonly<InteractProxyLimits> = {
  allowExecute: true,
  allowScrape: true,
  allowScrapeInteract: true,
};

/** Options of {@link firecrawlInteract}; every proxy option of `createInteractHandler` besides these is passed on. */
export interface FirecrawlInteractOptions extends Omit<InteractHandlerOptions, "apiKey"> {
  /**
   * The Firecrawl key. Default: `FIRECRAWL_API_KEY` from the project's `.env` files and the environment (Vite's
   * `loadEnv`). Without one, the emulator serves (see `emulator`).
   */
  apiKey?: string;
  /** API root with a key. Default: `FIRECRAWL_API_URL` (same sources), then Firecrawl's `/v2`. */
  baseUrl?: string;
  /** Where the proxy is mounted (default `/api/firecrawl`); the browser's client uses it as its `baseUrl`. */
  basePath?: string;
  /** Merged over {@link DEV_LIMITS} (execute, scrape and scrape interaction on); `false` turns one off. */
  limits?: InteractProxyLimits;
  /** Names the caller. Default: everyone is {@link LOCAL_DEVELOPER}, unless `passThrough` is set. */
  authorize?: InteractHandlerOptions["authorize"];
  /** Who owns which session, for the session list and scrapes. Default: `createMemoryOwnerStore()`. */
  store?: OwnerStore;
  /**
   * The local emulator used when there is no key (if `firecrawl-interact-emulator` is installed): started on the
   * first proxied request, stopped with the server. `false`: never; without a key the proxy then answers 500.
   */
  emulator?: EmbeddedEmulatorOptions | false;
}

/** True under vitest (it sets `VITEST` and runs Vite in the "test" mode): the plugin then mounts and starts nothing. */
export function isTestRun(mode: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return Boolean(env.VITEST) || mode === "test";
}

/** The dev proxy of one server, from the plugin's options and that server's config (mode, env files, logger). */
async function devProxyFor(options: FirecrawlInteractOptions, config: ResolvedConfig): Promise<DevProxy> {
  // Imported here, not at the top: the entry loads without vite, and only a server that runs reads env files.
  const { loadEnv } = await import("vite");
  const env = loadEnv(config.mode, config.envDir, "FIRECRAWL_");
  const { apiKey, baseUrl, emulator, limits, authorize, store, ...rest } = options;
  return createDevProxy({
    apiKey: (apiKey ?? env.FIRECRAWL_API_KEY)?.trim() || undefined,
    handler: {
      ...rest,
      basePath: rest.basePath ?? DEFAULT_BASE_PATH,
      baseUrl: baseUrl ?? (env.FIRECRAWL_API_URL || undefined),
      limits: { ...DEV_LIMITS, ...limits },
      authorize: authorize ?? (rest.passThrough ? undefined : () => ({ userId: LOCAL_DEVELOPER })),
      store: store ?? createMemoryOwnerStore(),
    },
    emulator: emulator ?? {},
    logger: config.logger,
    importEmulator: () => importEmulatorPackage(config.root),
  });
}

/**
 * The interact proxy on `vite` and `vite preview` at `/api/firecrawl`, with the key from your `.env` files, or
 * with no key on a local emulator (`firecrawl-interact-emulator`, when installed) that starts on the first proxied
 * request, opens new sessions on its start page and stops with the server, with every Chromium it started (on
 * close and on SIGINT/SIGTERM). `vite build` runs none of it; under vitest nothing is mounted or started.
 */
export function firecrawlInteract(options: FirecrawlInteractOptions = {}): Plugin {
  const proxies = { dev: new Set<DevProxy>(), preview: new Set<DevProxy>() };
  const mount = (kind: keyof typeof proxies) => async (server: ViteDevServer | PreviewServer) => {
    if (isTestRun(server.config.mode)) return;
    const proxy = await devProxyFor(options, server.config);
    proxies[kind].add(proxy);
    server.middlewares.use(toNodeHandler(proxy.handler, { basePath: options.basePath ?? DEFAULT_BASE_PATH }));
    // Vite before 8.3 has no closeServer hook: the HTTP server's close is the signal there.
    server.httpServer?.once("close", () => void proxy.close());
  };
  const closeAll = async (kind: keyof typeof proxies) => {
    const closing = [...proxies[kind]].map((proxy) => proxy.close());
    proxies[kind].clear();
    await Promise.all(closing);
  };
  return {
    name: "firecrawl-interact",
    configureServer: mount("dev"),
    configurePreviewServer: mount("preview"),
    // Awaited by server.close(), so Vite's own SIGTERM exit waits for the emulator to be gone.
    closeServer: () => closeAll("dev"),
    closePreviewServer: () => closeAll("preview"),
  };
}
