import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createInteractHandler, type InteractHandler, type InteractHandlerOptions } from "../server/handler.js";
import { errorResponse } from "../server/respond.js";

/**
 * Options of the emulator the plugin starts when there is no key: the ones of `startEmulator` that make sense for
 * an emulator only the dev server talks to (its key is the plugin's own, it always closes on signals).
 */
export interface EmbeddedEmulatorOptions {
  /** Port it listens on; 0 (default) picks a free one. */
  port?: number;
  /** Interface it binds (default 127.0.0.1). */
  host?: string;
  /** Where new sessions open (default: the emulator's own start page; Firecrawl's is `about:blank`). */
  startUrl?: string;
  /** Most sessions active at once (default 4). */
  maxSessions?: number;
  /** Most executes and prompts running at once (default 8). */
  maxConcurrentRuns?: number;
  /** Most of them running at once in one session (default 2). */
  maxConcurrentRunsPerSession?: number;
  /** Browsers kept launched ahead of demand (default 1; 0 disables the warm pool). */
  warmPool?: number;
  /** Where named profiles are stored. */
  dataDir?: string;
  /** Chromium binary (default: CHROMIUM_PATH, an installed Chrome/Chromium, then @sparticuz/chromium). */
  chromiumPath?: string;
  /** Python for `language: "python"` (default FIRECRAWL_EMULATOR_PYTHON, then python3). */
  python?: string;
  /** Let the emulator print its own log lines (default: quiet; the plugin logs through Vite). */
  quiet?: boolean;
}

/** What the plugin uses of a started emulator. */
export interface EmbeddedEmulator {
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/** What the plugin uses of the `firecrawl-interact-emulator` module, loaded only when it is needed. */
export interface EmulatorModule {
  startEmulator(
    options: EmbeddedEmulatorOptions & { apiKey: string; closeOnSignals: boolean },
  ): Promise<EmbeddedEmulator>;
  readonly START_PAGE_PATH: string;
}

/** Where the plugin's log lines go (Vite's logger). */
export interface DevProxyLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Everything the dev proxy needs, defaults applied. */
export interface DevProxySettings {
  /** The Firecrawl key, or undefined: then the emulator, when there is one. */
  readonly apiKey: string | undefined;
  /** The handler's options besides the key and the upstream. */
  readonly handler: Omit<InteractHandlerOptions, "apiKey">;
  readonly emulator: EmbeddedEmulatorOptions | false;
  readonly logger: DevProxyLogger;
  /** Loads the emulator module (a dynamic import, so the main package does not depend on it). */
  readonly importEmulator: () => Promise<EmulatorModule>;
}

/** The proxy of one dev or preview server, and the way to stop what it started. */
export interface DevProxy {
  readonly handler: InteractHandler;
  /** Stops the emulator (and every Chromium it started) if one was started; later requests start none. */
  close(): Promise<void>;
}

const EMULATOR_PACKAGE = "firecrawl-interact-emulator";
const NO_KEY = "FIRECRAWL_API_KEY is not set (in the project's .env files or the environment)";

const notFound = (error: unknown) => (error as { code?: unknown } | null)?.code === "ERR_MODULE_NOT_FOUND";

/**
 * Loads the emulator package: as this package sees it, else as the project at `root` does (pnpm links it there
 * only). The specifier is a variable, so neither tsc nor a bundler follows it into the emulator.
 */
export async function importEmulatorPackage(root: string): Promise<EmulatorModule> {
  try {
    return await import(/* @vite-ignore */ EMULATOR_PACKAGE);
  } catch (error) {
    if (!notFound(error)) throw error;
    let path: string;
    try {
      path = createRequire(join(root, "package.json")).resolve(EMULATOR_PACKAGE);
    } catch {
      throw error;
    }
    return import(/* @vite-ignore */ pathToFileURL(path).href);
  }
}

/** Answers like a proxy without a key (the missing_api_key 500), logging `hint` once on the first request. */
function keylessHandler(settings: DevProxySettings, hint: string): InteractHandler {
  const handler = createInteractHandler({ ...settings.handler, apiKey: () => undefined });
  let hinted = false;
  return (request) => {
    if (!hinted) settings.logger.warn(hint);
    hinted = true;
    return handler(request);
  };
}

/** Creates the proxy of a dev or preview server: on Firecrawl with a key, else on an emulator started lazily. */
export function createDevProxy(settings: DevProxySettings): DevProxy {
  const { apiKey, emulator } = settings;
  const basePath = settings.handler.basePath;
  if (apiKey) {
    return { handler: createInteractHandler({ ...settings.handler, apiKey }), close: async () => undefined };
  }
  // Created now even when an emulator will serve: a misconfiguration throws at start-up, not on the first request.
  const withoutKey = keylessHandler(
    settings,
    emulator === false
      ? `firecrawl-interact: ${NO_KEY} and the emulator is off (emulator: false), so ${basePath} answers 500 missing_api_key.`
      : `firecrawl-interact: ${NO_KEY} and ${EMULATOR_PACKAGE} is not installed, so ${basePath} answers 500 ` +
          `missing_api_key. Set the key, or run \`npm i -D ${EMULATOR_PACKAGE}\` to work offline on a local emulator.`,
  );
  if (emulator === false) return { handler: withoutKey, close: async () => undefined };
  return lazyEmulatorProxy(settings, emulator, withoutKey);
}

/** The proxy in front of an emulator that starts on the first proxied request and stops on close. */
function lazyEmulatorProxy(
  settings: DevProxySettings,
  options: EmbeddedEmulatorOptions,
  withoutKey: InteractHandler,
): DevProxy {
  let ready: Promise<{ handler: InteractHandler; emulator?: EmbeddedEmulator }> | undefined;
  let closing: Promise<void> | undefined;
  const start = async () => {
    let module: EmulatorModule;
    try {
      module = await settings.importEmulator();
    } catch (error) {
      // Not installed: the proxy answers as one without a key, and says why once. Any other failure is a failed start.
      if (!notFound(error)) throw error;
      return { handler: withoutKey };
    }
    // Known only to this proxy and its emulator, never to the browser; new on every start.
    const apiKey = `fci-dev-${randomBytes(16).toString("hex")}`;
    const emulator = await module.startEmulator({
      startUrl: module.START_PAGE_PATH,
      quiet: true,
      ...options,
      apiKey,
      closeOnSignals: true,
    });
    settings.logger.info(
      `firecrawl-interact: no FIRECRAWL_API_KEY, so ${settings.handler.basePath} talks to a local emulator at ${emulator.origin}`,
    );
    return { handler: createInteractHandler({ ...settings.handler, apiKey, baseUrl: emulator.url }), emulator };
  };
  const handler: InteractHandler = async (request) => {
    if (closing) return errorResponse(503, "unavailable", "The dev server is closing");
    ready ??= start();
    try {
      return await (await ready).handler(request);
    } catch (error) {
      // The next request tries again (a Chromium that could not launch, a port in use).
      ready = undefined;
      settings.logger.error(`firecrawl-interact: the local emulator could not start: ${String(error)}`);
      return errorResponse(503, "unavailable", "The local emulator could not start: see the dev server's log");
    }
  };
  const close = () => {
    closing ??= (async () => {
      const started = await ready?.catch(() => undefined);
      await started?.emulator?.close();
    })();
    return closing;
  };
  return { handler, close };
}
