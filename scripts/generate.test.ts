import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { describeOverride, renderGenerated } from "./generate.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const spec = join(root, "openapi/firecrawl-v2.yaml");
/** Written for these tests in the shape of Firecrawl's published spec (inline schemas, other endpoints, its mistakes). */
const upstreamShaped = join(root, "scripts/fixtures/upstream-shaped-v2.json");
/** Everything of a generated file after its first line, which names the spec it came from. */
const body = (text: string | undefined) => text?.slice(text.indexOf("\n") + 1);
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
  // These tests never read the checked-in generated/ (`npm test` checks it with `generate --check` first), so they
  // still pass after `npm run generate -- --spec <Firecrawl's spec>`.
  it("is deterministic: two runs render the same files", async () => {
    const first = (await renderGenerated(spec)).files;
    const second = (await renderGenerated(spec)).files;
    expect([...first.keys()]).toEqual(["schema.d.ts", "constraints.ts"]);
    for (const [name, content] of first) expect(second.get(name)).toBe(content);
  });

  it("--check passes on what it just generated", async () => {
    const out = join(scratch, "fresh");
    expect((await generate("--out", out)).code).toBe(0);
    const result = await generate("--out", out, "--check");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("matches the spec");
  });

  it("--check fails and names the drifted files after a one-character change to a copy of the spec", async () => {
    const text = readFileSync(spec, "utf8");
    const edited = text.replace(
      "maximum: 3600\n                  default: 600",
      "maximum: 3601\n                  default: 600",
    );
    expect(edited).not.toBe(text);
    const copy = join(scratch, "edited.yaml");
    writeFileSync(copy, edited);
    const result = await generate("--spec", copy, "--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("generated/constraints.ts");
    expect(result.stderr).toContain("generated/schema.d.ts");
    expect(result.stderr).toContain("Run `npm run generate`");
  });

  it("a widened bound and a new optional field of the base reach the types and the runtime constraints", async () => {
    const copy = join(scratch, "widened.json");
    const edited = JSON.parse(readFileSync(upstreamShaped, "utf8"));
    const create = edited.paths["/interact"].post.requestBody.content["application/json"].schema;
    create.properties.ttl.maximum = 7200;
    create.properties.locale = { type: "string", maxLength: 35, description: "Browser locale" };
    writeFileSync(copy, JSON.stringify(edited));
    const { files } = await renderGenerated(copy);
    expect(files.get("constraints.ts")).toMatch(
      /"ttl": \{\s+"type": "integer",\s+"default": 600,\s+"minimum": 30,\s+"maximum": 7200/,
    );
    expect(files.get("constraints.ts")).toMatch(/"locale": \{\s+"type": "string",\s+"maxLength": 35\s+\}/);
    expect(files.get("schema.d.ts")).toContain("locale?: string;");
  });

  it("Firecrawl-shaped base + overlay generates exactly what our spec + overlay does", async () => {
    const ours = (await renderGenerated(spec)).files;
    const theirs = await renderGenerated(upstreamShaped);
    expect(body(theirs.files.get("constraints.ts"))).toBe(body(ours.get("constraints.ts")));
    const types = theirs.files.get("schema.d.ts") ?? "";
    // Only the interact and scrape paths are kept, and only the components they reach.
    for (const gone of ["/monitor/{monitorId}", "/crawl/{id}", "/team/credit-usage", "MonitorId", "Monitor: {"]) {
      expect(types).not.toContain(gone);
    }
    for (const kept of [
      "interactWithScrapeBrowserSession: {",
      "createBrowserSessionAlias: {",
      '"/browser/{sessionId}": {',
      '"/scrape": {',
      '"/scrape/{jobId}": {',
      "scrapeAndExtractFromUrl: {",
      "getScrapeStatus: {",
      "ScrapeOptions: {",
    ]) {
      expect(types).toContain(kept);
    }
    expect(theirs.missedTargets).toEqual([]);
    const fixture = JSON.parse(readFileSync(upstreamShaped, "utf8"));
    const publishedFormats = fixture.components.schemas.Formats.items.oneOf;
    // The overlay types a format's JSON Schema as any object, and adds the formats that go by their name alone.
    const formats = structuredClone(publishedFormats);
    for (const format of formats) {
      if (format.title === "JSON" || format.title === "Change Tracking")
        format.properties.schema.additionalProperties = true;
    }
    formats.push({
      type: "string",
      title: "Format name",
      enum: [
        ...["markdown", "summary", "html", "rawHtml", "links", "images", "screenshot", "json", "changeTracking"],
        ...["branding", "product", "menu", "audio", "video"],
      ],
    });
    // What the overlay corrects in the published spec, reported as it is applied.
    expect(theirs.overrides.map(({ at, base, overlay }) => [at.replace(/^.*\["paths"\]/, ""), base, overlay])).toEqual([
      [
        '["/scrape/{jobId}/interact"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"]',
        ["code"],
        undefined,
      ],
      [
        '["/interact"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["ttl"]["default"]',
        300,
        600,
      ],
      [
        '["/interact"]["get"]["parameters"][0]["schema"]["enum"]',
        ["active", "destroyed"],
        ["active", "destroyed", "error"],
      ],
      [
        '["/interact"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["sessions"]["items"]["properties"]["status"]["enum"]',
        ["active", "destroyed"],
        ["active", "destroyed", "error"],
      ],
      ['$["components"]["schemas"]["Formats"]["items"]["oneOf"]', publishedFormats, formats],
      [
        '$["components"]["schemas"]["ScrapeResponse"]["properties"]["data"]["properties"]["metadata"]["properties"]["<any other metadata> "]',
        { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
        undefined,
      ],
    ]);
  });

  it("keeps the scrape as a table of its own, its allOf body merged into one constraint, and a cut to its bounds", async () => {
    mkdirSync(join(root, ".tmp"), { recursive: true });
    const dir = mkdtempSync(join(root, ".tmp", "constraints-"));
    try {
      const file = join(dir, "constraints.ts");
      writeFileSync(file, (await renderGenerated(spec)).files.get("constraints.ts") ?? "");
      const generated = await import(file);
      expect(Object.keys(generated.scrapeOperations)).toEqual(["scrapeAndExtractFromUrl", "getScrapeStatus"]);
      expect(Object.keys(generated.operations)).not.toContain("scrapeAndExtractFromUrl");
      const { scrapeAndExtractFromUrl, getScrapeStatus, scrapeAndExtractFromUrlBoundsRequest } = generated;
      expect([scrapeAndExtractFromUrl.method, scrapeAndExtractFromUrl.path]).toEqual(["POST", "/scrape"]);
      expect([getScrapeStatus.method, getScrapeStatus.path, getScrapeStatus.parameters]).toEqual([
        "GET",
        "/scrape/{jobId}",
        [{ name: "jobId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      ]);
      // The url of the first allOf branch, the fields of ScrapeOptions and zeroDataRetention of the last, as one.
      const body = scrapeAndExtractFromUrl.body;
      expect(body.required).toEqual(["url"]);
      expect(Object.keys(body.properties)).toEqual([
        ...["url", "formats", "onlyMainContent", "onlyCleanContent", "includeTags", "excludeTags", "maxAge"],
        ...["minAge", "headers", "waitFor", "mobile", "skipTlsVerification", "timeout", "parsers", "actions"],
        ...["location", "removeBase64Images", "blockAds", "proxy", "storeInCache", "lockdown", "redactPII"],
        ...["profile", "threatProtection", "auditMetadata", "zeroDataRetention"],
      ]);
      expect(body.properties.timeout).toEqual({ type: "integer", default: 60000, minimum: 1000, maximum: 300000 });
      expect(body.properties.formats.items.oneOf).toHaveLength(17);
      // The cut keeps what a type can't say: the required fields, and the fields with a range, length or pattern.
      expect(scrapeAndExtractFromUrlBoundsRequest).toEqual({
        parameters: [],
        body: {
          type: "object",
          required: ["url"],
          properties: { url: body.properties.url, timeout: body.properties.timeout },
        },
      });
      expect(body.properties.url).toEqual({
        type: "string",
        format: "uri",
        pattern: "^https?://[^\\s/?#]+([/?#]\\S*)?$",
      });
      // Nothing to cut: no export.
      expect(generated.stopInteractiveScrapeBrowserSessionBoundsRequest).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ at: "$.a", base: 300, overlay: 600 }, "sets 600 at $.a (the spec says 300)"],
    [{ at: "$.b", base: ["code"], overlay: undefined }, 'removes $.b (the spec says ["code"])'],
    [{ at: "$.c", base: ["a", "b"], overlay: ["a", "b", "c"] }, 'appends ["c"] to $.c (the spec has 2 items)'],
    [
      { at: "$.d", base: [{ x: 1 }], overlay: [{ x: 2 }, 3] },
      "appends [3] to $.d (the spec has 1 item, which the overlay changes too)",
    ],
    [{ at: "$.e", base: ["a", "b"], overlay: ["b"] }, 'sets ["b"] at $.e (the spec says ["a","b"])'],
  ])("describes the override %j in words", (override, words) => {
    expect(describeOverride(override)).toBe(words);
  });

  it("our own spec already says what the server does: the overlay overrides none of its values", async () => {
    const { overrides, missedTargets } = await renderGenerated(spec);
    expect(overrides).toEqual([]);
    expect(missedTargets).toEqual([]);
  });

  it("the client, proxy, hooks and their tests typecheck against types generated from the Firecrawl-shaped spec", {
    timeout: 240_000,
  }, async () => {
    mkdirSync(join(root, ".tmp"), { recursive: true });
    const tree = mkdtempSync(join(root, ".tmp", "regenerated-"));
    try {
      cpSync(join(root, "src"), join(tree, "src"), { recursive: true });
      // Helpers that tests in src import: the import-graph walker and the packages tests' /proc reader.
      mkdirSync(join(tree, "scripts"));
      cpSync(join(root, "scripts/import-graph.ts"), join(tree, "scripts/import-graph.ts"));
      cpSync(join(root, "e2e/packages"), join(tree, "e2e/packages"), { recursive: true });
      const generated = await generate("--spec", upstreamShaped, "--out", join(tree, "generated"));
      expect(generated.code).toBe(0);
      expect(readFileSync(join(tree, "generated/constraints.ts"), "utf8")).toContain("upstream-shaped-v2.json");
      writeFileSync(
        join(tree, "tsconfig.json"),
        JSON.stringify({ extends: "../../tsconfig.json", include: ["src", "generated"] }),
      );
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      const result = await run(process.execPath, [tsc, "--noEmit", "-p", tree], { cwd: tree }).then(
        () => ({ code: 0, stdout: "" }),
        (error: { code: number; stdout: string }) => error,
      );
      expect(result.stdout).toBe("");
      expect(result.code).toBe(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
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
