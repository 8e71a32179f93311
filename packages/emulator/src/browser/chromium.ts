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
