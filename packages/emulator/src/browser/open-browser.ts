import type { BrowserLauncher, LaunchedBrowser } from "./launch.js";
import type { ProfileStore } from "./profiles.js";
import type { WarmPool } from "./warm-pool.js";

/**
 * Gets the Chromium for a session or a scrape: with a profile, a cold launch on that profile's checked-out
 * user-data-dir; without one, a warm browser from the pool (or a cold launch when none is ready).
 */
export type OpenBrowser = (profileName: string | undefined) => Promise<LaunchedBrowser>;

/** The one {@link OpenBrowser} of an emulator, over its warm pool, its launcher and its profile store. */
export const browserOpener =
  (pool: WarmPool, launcher: BrowserLauncher, profiles: ProfileStore): OpenBrowser =>
  async (profileName) =>
    profileName === undefined ? pool.acquire() : launcher.launch(await profiles.checkout(profileName));
