import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_FLAGS, resolveChromium } from "../../packages/emulator/src/browser/chromium.js";

/** Launches the test's own Chromium (the npm-shipped one when nothing else is installed). */
export async function launchTestBrowser(): Promise<Browser> {
  const { path } = await resolveChromium();
  return chromium.launch({ executablePath: path, args: [...CHROMIUM_FLAGS] });
}

/** True while a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
