import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rename, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { removeDir } from "./launch.js";

// Lock files point at the process that wrote them (a copy would make Chromium think the profile is in use);
// caches are large and worthless to persist.
const SKIPPED = new Set([
  ".tmp",
  "SingletonLock",
  "SingletonSocket",
  "SingletonCookie",
  "Cache",
  "Code Cache",
  "GPUCache",
  "DawnCache",
  "DawnGraphiteCache",
  "DawnWebGPUCache",
  "GraphiteDawnCache",
  "GrShaderCache",
  "ShaderCache",
  "Crashpad",
  "BrowserMetrics",
  "component_crx_cache",
  "Safe Browsing",
]);

const copyProfile = (from: string, to: string) =>
  cp(from, to, {
    recursive: true,
    force: true,
    errorOnExist: false,
    verbatimSymlinks: true,
    filter: (source) => !SKIPPED.has(basename(source)),
  });

const exists = async (path: string) => {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
};

/** Persistent browser profiles (cookies, local storage) stored as Chromium user-data-dirs under a data dir. */
export class ProfileStore {
  constructor(
    /** Root data directory; profiles live in `<dataDir>/profiles/<slug>-<hash>`. */
    readonly dataDir: string,
  ) {}

  /** Directory of a named profile: a readable slug plus a hash, so any name maps to one safe path segment. */
  dirFor(name: string): string {
    const slug = name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 40) || "profile";
    const hash = createHash("sha256").update(name).digest("hex").slice(0, 16);
    return join(this.dataDir, "profiles", `${slug}-${hash}`);
  }

  /** Copies the saved profile (if any) into a fresh temp user-data-dir that the caller owns. */
  async checkout(name: string): Promise<string> {
    const work = await mkdtemp(join(tmpdir(), "fci-profile-"));
    const saved = this.dirFor(name);
    if (await exists(saved)) await copyProfile(saved, work);
    return work;
  }

  /** Writes a browser's user-data-dir back as the profile, swapping directories so readers never see half a copy. */
  async save(name: string, userDataDir: string): Promise<void> {
    const target = this.dirFor(name);
    await mkdir(join(this.dataDir, "profiles"), { recursive: true });
    const staging = `${target}.saving-${randomBytes(4).toString("hex")}`;
    const retired = `${target}.old-${randomBytes(4).toString("hex")}`;
    try {
      await copyProfile(userDataDir, staging);
      const hadPrevious = await exists(target);
      if (hadPrevious) await rename(target, retired);
      await rename(staging, target);
      if (hadPrevious) await removeDir(retired);
    } finally {
      await removeDir(staging);
    }
  }
}
