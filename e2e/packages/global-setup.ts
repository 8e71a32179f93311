import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { childEnv, type Packs, runOk } from "./helpers.js";
import { NODE_RELEASES, nodeRuntime } from "./node-runtimes.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * Packs the built main package and the emulator once for the whole "packages" project and readies each Node release
 * of {@link NODE_RELEASES} (from the npm registry, cached); removes the tarballs and the bin folders afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const built of ["dist/client.js", "dist/types/src/client/index.d.ts", "packages/emulator/dist/cli.js"]) {
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run \`npm run build\` before this project`);
  }
  const dir = await mkdtemp(join(tmpdir(), "fci-packs-"));
  const pack = async (args: string[]) => {
    const { stdout } = await runOk("npm", ["pack", ...args, "--json", "--pack-destination", dir], {
      cwd: ROOT,
      env: childEnv(),
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error(`npm pack ${args.join(" ")} packed nothing`);
    return join(dir, packed.filename);
  };
  const packBoth = async (): Promise<Packs> => ({
    main: await pack([]),
    emulator: await pack(["-w", "firecrawl-interact-emulator"]),
  });
  // The Node downloads (first run only) go on while npm packs.
  const [packs, runtimes] = await Promise.all([
    packBoth(),
    Promise.all(NODE_RELEASES.map((version) => nodeRuntime(version, join(dir, "node")))),
  ]);
  project.provide("packs", packs);
  project.provide("runtimes", runtimes);
  return () => rm(dir, { recursive: true, force: true });
}
