import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { renderGenerated } from "./generate.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const spec = join(root, "openapi/firecrawl-v2.yaml");
const scratch = mkdtempSync(join(tmpdir(), "fi-generate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the generator CLI as `npm run generate -- …` would, and returns its exit code and output. */
async function generate(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/generate.ts", ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each case starts the generator in its own Node process (about 3 s alone, far more on a loaded 2-core machine).
describe("generate", { timeout: 60_000 }, () => {
  it("is deterministic and matches the checked-in generated/", async () => {
    const first = await renderGenerated(spec);
    const second = await renderGenerated(spec);
    expect([...first.keys()]).toEqual(["schema.d.ts", "constraints.ts"]);
    for (const [name, content] of first) {
      expect(second.get(name)).toBe(content);
      expect(readFileSync(join(root, "generated", name), "utf8")).toBe(content);
    }
  });

  it("--check passes on the spec as committed", async () => {
    const result = await generate("--check");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("generated/ matches the spec");
  });

  it("--check fails and names the drifted files after a one-character change to a copy of the spec", async () => {
    const text = readFileSync(spec, "utf8");
    const edited = text.replace("maximum: 3600\n          default: 300", "maximum: 3601\n          default: 300");
    expect(edited).not.toBe(text);
    const copy = join(scratch, "edited.yaml");
    writeFileSync(copy, edited);
    const result = await generate("--spec", copy, "--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("generated/constraints.ts");
    expect(result.stderr).toContain("generated/schema.d.ts");
    expect(result.stderr).toContain("Run `npm run generate`");
  });

  it("the edited bound reaches the runtime constraints", async () => {
    const copy = join(scratch, "bound.yaml");
    writeFileSync(copy, readFileSync(spec, "utf8").replace("minimum: 30\n", "minimum: 45\n"));
    const constraints = (await renderGenerated(copy)).get("constraints.ts") ?? "";
    expect(constraints).toMatch(/"ttl": \{\s+"type": "integer",\s+"default": 300,\s+"minimum": 45,/);
  });

  it("--watch regenerates when the spec is saved", async () => {
    const copy = join(scratch, "watched.yaml");
    const out = join(scratch, "watched-out");
    const original = readFileSync(spec, "utf8");
    writeFileSync(copy, original);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/generate.ts", "--spec", copy, "--out", out, "--watch"],
      {
        cwd: root,
        stdio: "ignore",
      },
    );
    const constraints = join(out, "constraints.ts");
    const waitFor = async (done: () => boolean) => {
      for (let tries = 0; tries < 800 && !done(); tries++) await new Promise((r) => setTimeout(r, 50));
      return done();
    };
    try {
      expect(await waitFor(() => existsSync(constraints))).toBe(true);
      expect(readFileSync(constraints, "utf8")).toContain('"maxLength": 128');
      writeFileSync(copy, original.replace("maxLength: 128", "maxLength: 64"));
      expect(await waitFor(() => readFileSync(constraints, "utf8").includes('"maxLength": 64'))).toBe(true);
    } finally {
      child.kill();
    }
  });

  it("--spec without a path is a usage error", async () => {
    const result = await generate("--spec");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--spec needs a path");
  });
});
