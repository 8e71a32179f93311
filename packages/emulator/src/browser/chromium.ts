import { accessSync, constants, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { withUnpackLock } from "./unpack-lock.js";

/** Flags every Chromium we launch needs on a closed network (no sandbox as root, no background traffic). */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

// What Chromium takes from the emulator's environment, when set: where programs, its libraries and fonts are (the
// npm-shipped build sets LD_LIBRARY_PATH and FONTCONFIG_PATH), the locale, the time zone, a display, and the proxy to
// reach pages through. Nothing else: keys and tokens in the emulator's environment never reach the browser.
const CHROMIUM_ENV_NAMES = new Set([
  "PATH",
  "HOME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "LD_LIBRARY_PATH",
  "FONTCONFIG_PATH",
  "FONTCONFIG_FILE",
  "XDG_CONFIG_HOME",
  "XDG_CACHE_HOME",
  "XDG_DATA_HOME",
  "XDG_DATA_DIRS",
  "XDG_RUNTIME_DIR",
  "DISPLAY",
  "WAYLAND_DISPLAY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "all_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
]);
const LOCALE_CATEGORY = /^LC_[A-Z]+$/;

/** Whether a variable of the emulator's environment is passed on to Chromium (see {@link chromiumEnv}). */
export const isChromiumEnvName = (name: string): boolean => CHROMIUM_ENV_NAMES.has(name) || LOCALE_CATEGORY.test(name);

/** The whole environment of a Chromium: the allow-listed variables of `from` that are set, and its own `TMPDIR`. */
export function chromiumEnv(tmpDir: string, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && isChromiumEnvName(name)) env[name] = value;
  }
  env.TMPDIR = tmpDir;
  return env;
}

const INSTALLED_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/** True when the file exists and this process may run it. */
export const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Finds an installed Chrome or Chromium on PATH, or null. */
export function findInstalledChromium(path = process.env.PATH ?? ""): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of INSTALLED_NAMES) {
      const file = join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return null;
}

/** Where a Chromium binary came from. */
export type ChromiumSource = "option" | "CHROMIUM_PATH" | "installed" | "@sparticuz/chromium";

/** Resolves the Chromium to launch: the explicit path, `CHROMIUM_PATH`, an installed browser, then the npm-shipped one. */
export async function resolveChromium(explicitPath?: string): Promise<{ path: string; source: ChromiumSource }> {
  if (explicitPath) return { path: explicitPath, source: "option" };
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return { path: fromEnv, source: "CHROMIUM_PATH" };
  const installed = findInstalledChromium();
  if (installed) return { path: installed, source: "installed" };
  // Unpacks once into the temp dir and is reused afterwards; the lock keeps parallel test workers from both
  // unpacking (the package would hand one of them a half-written binary).
  const { default: sparticuz } = await import("@sparticuz/chromium");
  const unpacked = join(tmpdir(), "chromium");
  const path = await withUnpackLock(() => sparticuz.executablePath(), {
    isDone: () => existsSync(unpacked),
    onStale: () => rmSync(unpacked, { force: true }),
  });
  return { path, source: "@sparticuz/chromium" };
}
