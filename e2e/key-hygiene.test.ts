import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, describe, expect, it } from "vitest";

const FAKE_KEY = "fc-build-hygiene-key-2b8e61d0";
const VITE_CONFIG = fileURLToPath(new URL("../vite.config.ts", import.meta.url));

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe("building the playground with FIRECRAWL_API_KEY set", () => {
  const outDirs: string[] = [];

  afterAll(async () => {
    await Promise.all(outDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("puts the key in none of the built files", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "playground-build-"));
    outDirs.push(outDir);
    const previous = process.env.FIRECRAWL_API_KEY;
    process.env.FIRECRAWL_API_KEY = FAKE_KEY;
    try {
      await build({ configFile: VITE_CONFIG, logLevel: "silent", build: { outDir, emptyOutDir: true } });
    } finally {
      if (previous === undefined) delete process.env.FIRECRAWL_API_KEY;
      else process.env.FIRECRAWL_API_KEY = previous;
    }
    const files = await filesBelow(outDir);
    const contents = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, "latin1") })));
    // The scan means something only if the app is really in there.
    expect(files.some((file) => file.endsWith("index.html"))).toBe(true);
    expect(contents.some(({ text }) => text.includes("/api/firecrawl"))).toBe(true);
    expect(contents.filter(({ text }) => text.includes(FAKE_KEY)).map(({ file }) => file)).toEqual([]);
  });
});
