import { existsSync, realpathSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { childEnv, runOk } from "./helpers.js";

/**
 * The Node releases every packed-tarball test runs on: the lowest 20 and 22 that `engines` accepts (where require() of
 * an ES module works without a flag, as Vite 8 requires too) and the newest 24 when this list was written.
 */
export const NODE_RELEASES = ["20.19.0", "22.12.0", "24.22.3"] as const;

/** One Node release the children of a test run on. */
export interface NodeRuntime {
  /** The release, e.g. `22.12.0`. */
  readonly version: string;
  /** A folder with this release's `node` and `npm`/`npx` running on it, put first on PATH for every child. */
  readonly binDir: string;
  /** Absolute path of this release's `node` (the cached binary). */
  readonly node: string;
}

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** Where the binaries stay between runs: `npm ci` empties it, and npm's own cache then still has the tarballs. */
export const NODE_CACHE = join(ROOT, "node_modules/.cache/fci-node");

/** The registry package of one release's official binary for this machine (`bin/node`, no npm inside). */
const nodePackage = (version: string) => `node-${process.platform}-${process.arch}@${version}`;

/** Takes only `bin/node` out of the release's registry tarball into `NODE_CACHE/<version>/bin/node`. */
async function download(version: string, target: string): Promise<void> {
  await mkdir(NODE_CACHE, { recursive: true });
  // Unpacked beside the target and renamed into place, so a run stopped half-way leaves no truncated binary.
  const scratch = await mkdtemp(join(NODE_CACHE, `.${version}-`));
  try {
    const { stdout } = await runOk(
      "npm",
      ["pack", nodePackage(version), "--json", "--prefer-offline", "--pack-destination", scratch],
      { cwd: scratch, env: childEnv() },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error(`npm pack ${nodePackage(version)} packed nothing`);
    await runOk("tar", ["-xzf", join(scratch, packed.filename), "-C", scratch, "package/bin/node"], { cwd: scratch });
    await rename(join(scratch, "package"), target).catch((error: unknown) => {
      // Another run unpacked the same release meanwhile: its copy is as good as ours.
      if (!existsSync(join(target, "bin/node"))) throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The cached `node` of `version`, unpacked from the registry on first use; throws unless it runs as that release. */
export async function cachedNode(version: string): Promise<string> {
  const target = join(NODE_CACHE, version);
  const node = join(target, "bin/node");
  if (!existsSync(node)) await download(version, target);
  const { stdout } = await runOk(node, ["--version"], { cwd: target, env: childEnv() });
  if (stdout.trim() !== `v${version}`) {
    throw new Error(`${node} --version printed ${stdout.trim()}: remove ${target} to unpack it again`);
  }
  return node;
}

/** The npm-cli.js of the npm running this (or else of the `npm` on PATH): the one npm every release is tested with. */
function npmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm?.endsWith("npm-cli.js")) return fromNpm;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "npm");
    if (existsSync(candidate) && realpathSync(candidate).endsWith("npm-cli.js")) return realpathSync(candidate);
  }
  throw new Error("no npm-cli.js found (neither npm_execpath nor an npm on PATH)");
}

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/**
 * Makes `binRoot/<version>` hold `node` (a link to the cached binary) and `npm`/`npx` scripts running npm's CLI on
 * it: the registry's Node packages ship no npm, and a user's npm runs on whatever `node` they have.
 */
export async function nodeRuntime(version: string, binRoot: string): Promise<NodeRuntime> {
  const node = await cachedNode(version);
  const binDir = join(binRoot, version);
  await mkdir(binDir, { recursive: true });
  await symlink(node, join(binDir, "node"));
  const cli = npmCli();
  for (const [name, script] of [
    ["npm", cli],
    ["npx", join(dirname(cli), "npx-cli.js")],
  ] as const) {
    await writeFile(join(binDir, name), `#!/bin/sh\nexec ${quote(node)} ${quote(script)} "$@"\n`);
    await chmod(join(binDir, name), 0o755);
  }
  return { version, binDir, node };
}
