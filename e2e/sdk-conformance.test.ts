import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Firecrawl, { SdkError } from "@mendable/firecrawl-js";
import { type Emulator, type EmulatorOptions, startEmulator } from "firecrawl-interact-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processGroupMembers } from "../packages/emulator/src/browser/processes.js";
import { leftoverProcesses, matchingProcesses, type ProcessEntry } from "./helpers/processes.js";
import { type RecordingProxy, startRecordingProxy } from "./helpers/recording-proxy.js";
import { ARTICLE_TITLE, NEXT_TITLE, serveConformanceSite } from "./helpers/sdk-site.js";

const API_KEY = "fc-test-key-sdk-conformance";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The SDK stamps every POST body with `origin: "js-sdk@<version>"`, taking the version from npm_package_version
// when npm set it (the *host* package's version under `npm test`/`npx`), else from its own package.json.
const SDK_ORIGIN = `js-sdk@${process.env.npm_package_version || "4.42.0"}`;
// Set in this worker only, for processes that keep its environment; the emulator gives its runners, bash and the
// agent-browser daemon a trimmed one, so the leak check also goes by ancestry and by session ids (see `marks`).
const TAG = { name: "FCI_SDK_CONFORMANCE_TAG", value: randomUUID() };

// Whether this machine's python3 can run the emulator's Python execute (Playwright for Python installed).
const PYTHON_HAS_PLAYWRIGHT =
  spawnSync("python3", ["-c", "import playwright.async_api"], { stdio: "ignore" }).status === 0;

/** What the test agent saw on each prompt. */
interface AgentCall {
  prompt: string;
  url: string;
  title: string;
  sessionId: string;
  pageInContext: boolean;
  connected: boolean;
  aborted: boolean;
}

/** The `token` of a live-view or CDP URL. */
const tokenOf = (url: string | undefined): string | null => new URL(url ?? "").searchParams.get("token");

/** Awaits a promise that must reject and returns its reason. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Awaits an SDK call that must fail with the SDK's own error class (an HTTP error answer). */
async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(SdkError);
  return error as SdkError;
}

describe("Firecrawl's JS SDK (@mendable/firecrawl-js 4.42) against the emulator", () => {
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let site: Awaited<ReturnType<typeof serveConformanceSite>>;
  let firecrawl: Firecrawl;
  let dataDir = "";
  let processesBefore: ProcessEntry[] = [];
  const agentCalls: AgentCall[] = [];

  // The test agent: reads the page it was given; "open the next page" clicks the link; "give up" throws.
  const agent: NonNullable<EmulatorOptions["agent"]> = async ({
    prompt,
    page,
    context,
    browser,
    sessionId,
    signal,
  }) => {
    if (prompt === "open the next page") {
      await Promise.all([page.waitForURL(/\/next$/), page.click("#next")]);
    }
    const title = await page.title();
    agentCalls.push({
      prompt,
      url: page.url(),
      title,
      sessionId,
      pageInContext: context.pages().includes(page),
      connected: browser.isConnected(),
      aborted: signal.aborted,
    });
    if (prompt === "give up") throw new Error("The test agent gave up");
    return { output: `The page "${title}" is open`, result: JSON.stringify({ url: page.url() }) };
  };

  beforeAll(async () => {
    process.env[TAG.name] = TAG.value;
    processesBefore = matchingProcesses();
    dataDir = await mkdtemp(join(tmpdir(), "fci-sdk-conformance-"));
    site = await serveConformanceSite();
    emulator = await startEmulator({ apiKey: API_KEY, quiet: true, dataDir, agent });
    proxy = await startRecordingProxy(emulator.origin);
    // The SDK appends `/v2/…` itself: its apiUrl is the server's origin, not the emulator's `/v2` url.
    firecrawl = new Firecrawl({ apiKey: API_KEY, apiUrl: proxy.origin });
  });

  afterAll(async () => {
    await Promise.allSettled([emulator?.close(), proxy?.close(), site?.close()]);
    await rm(dataDir, { recursive: true, force: true });
    delete process.env[TAG.name];
  });

  /** What marks a process as this suite's: the worker's env tag, the emulator's session ids and Chromium dirs. */
  const marks = () => ({
    tag: TAG,
    markers: [...emulator.sessions().map((session) => session.id), ...emulator.spawnedUserDataDirs()],
  });

  /** The requests the SDK made during `run`, as the server received them. */
  async function requestsOf<T>(run: () => Promise<T>): Promise<{ value: T; requests: typeof proxy.requests }> {
    proxy.clear();
    const value = await run();
    return { value, requests: [...proxy.requests] };
  }

  describe("standalone browser sessions", () => {
    let sessionId = "";

    it("browser() creates a session with POST /v2/browser (the alias of /v2/interact)", async () => {
      const before = Date.now();
      const { value: created, requests } = await requestsOf(() => firecrawl.browser());
      expect(requests).toEqual([
        {
          method: "POST",
          path: "/v2/browser",
          authorization: `Bearer ${API_KEY}`,
          body: { origin: SDK_ORIGIN },
          status: 200,
        },
      ]);
      sessionId = created.id ?? "";
      expect(sessionId).toMatch(UUID);
      const host = `127.0.0.1:${emulator.port}`;
      expect(Object.keys(created).sort()).toEqual([
        "cdpUrl",
        "expiresAt",
        "id",
        "interactiveLiveViewUrl",
        "liveViewUrl",
        "success",
      ]);
      expect(created.success).toBe(true);
      expect(created.cdpUrl).toMatch(new RegExp(`^ws://${host}/cdp/${sessionId}\\?token=[^&]+$`));
      expect(created.liveViewUrl).toMatch(new RegExp(`^http://${host}/live/${sessionId}\\?token=[^&]+$`));
      // The interactive view has a token of its own: the read-only one grants no input.
      expect(created.interactiveLiveViewUrl).toMatch(
        new RegExp(`^http://${host}/live/${sessionId}\\?token=[^&]+&interactive=true$`),
      );
      expect(tokenOf(created.interactiveLiveViewUrl)).not.toBe(tokenOf(created.liveViewUrl));
      // No ttl in the body: the server's default of 600 s applies.
      const lifetime = Date.parse(created.expiresAt ?? "") - before;
      expect(lifetime).toBeGreaterThan(595_000);
      expect(lifetime).toBeLessThanOrEqual(601_000);
    });

    it("browserExecute() without a language sends bash and runs agent-browser commands on the session", async () => {
      const code = `agent-browser open ${site.origin}/next\nagent-browser get title`;
      const { value: run, requests } = await requestsOf(() => firecrawl.browserExecute(sessionId, { code }));
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        // The SDK picks bash when the caller names no language (the server's own default is node).
        {
          method: "POST",
          path: `/v2/browser/${sessionId}/execute`,
          body: { code, language: "bash", origin: SDK_ORIGIN },
        },
      ]);
      // agent-browser's own output: `open` prints a check mark, the title and the URL; `get title` the title.
      const stdout = `\u2713 ${NEXT_TITLE}\n  ${site.origin}/next\n${NEXT_TITLE}\n`;
      // In bash mode `result` is the printed output, as the spec describes it (an alias of stdout).
      expect(run).toEqual({
        success: true,
        stdout,
        result: stdout,
        stderr: "",
        exitCode: 0,
        killed: false,
        truncated: false,
      });
      expect(site.hits.get("/next")).toBe(1);
      // agent-browser keeps a daemon for the session; the leak check can see it (and, after delete, its absence).
      const daemons = leftoverProcesses(processesBefore, marks()).filter((entry) =>
        /agent-browser/.test(entry.command),
      );
      expect(daemons.length).toBeGreaterThan(0);
      // agent-browser drove the session's own browser: Playwright sees the page it opened.
      const check = await firecrawl.browserExecute(sessionId, {
        code: "JSON.stringify({ url: page.url(), title: await page.title() })",
        language: "node",
      });
      expect(check.result).toBe(JSON.stringify({ url: `${site.origin}/next`, title: NEXT_TITLE }));
    });

    it("browserExecute() with language node returns the last expression as result, console output as stdout", async () => {
      const code = 'console.log("from stdout");\nconst t = await page.title();\nJSON.stringify({ t })';
      const { value: run, requests } = await requestsOf(() =>
        firecrawl.browserExecute(sessionId, { code, language: "node", timeout: 20 }),
      );
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        {
          method: "POST",
          path: `/v2/browser/${sessionId}/execute`,
          body: { code, language: "node", timeout: 20, origin: SDK_ORIGIN },
        },
      ]);
      expect(run).toMatchObject({
        success: true,
        stdout: "from stdout\n",
        result: JSON.stringify({ t: NEXT_TITLE }),
        stderr: "",
        exitCode: 0,
        killed: false,
      });
      expect(run.error ?? null).toBeNull();
    });

    it("browserExecute() with language python runs Playwright for Python, or says why it cannot", async () => {
      const code = "print(await page.title())";
      const { value: run, requests } = await requestsOf(() =>
        firecrawl.browserExecute(sessionId, { code, language: "python" }).catch((error: unknown) => error),
      );
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        {
          method: "POST",
          path: `/v2/browser/${sessionId}/execute`,
          body: { code, language: "python", origin: SDK_ORIGIN },
        },
      ]);
      if (PYTHON_HAS_PLAYWRIGHT) {
        const stdout = `${NEXT_TITLE}\n`;
        expect(run).toMatchObject({ success: true, stdout, result: stdout, stderr: "", exitCode: 0, killed: false });
        return;
      }
      // This machine's python3 lacks Playwright for Python: a 400 the SDK throws, naming the fix.
      expect(run).toBeInstanceOf(SdkError);
      const error = run as SdkError;
      expect([error.status, error.code, error.message]).toEqual([
        400,
        "unsupported_language",
        "Python execute needs Playwright for Python, which python3 cannot import: run `pip install playwright` " +
          "(no browser download is needed: the code attaches to the emulator's Chromium)",
      ]);
      expect(error.details).toEqual({ field: "language", rule: "enum", limit: ["node", "bash"] });
    });

    it("listBrowsers() lists it with GET /v2/browser, and filters with ?status=", async () => {
      const { value: all, requests } = await requestsOf(() => firecrawl.listBrowsers());
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        { method: "GET", path: "/v2/browser", body: undefined },
      ]);
      expect(all.success).toBe(true);
      const entry = all.sessions?.find((session) => session.id === sessionId);
      expect(entry).toMatchObject({ id: sessionId, status: "active", streamWebView: true });
      expect(entry?.cdpUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${emulator.port}/cdp/${sessionId}\\?token=`));
      expect(entry?.interactiveLiveViewUrl).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${emulator.port}/live/${sessionId}\\?token=[^&]+&interactive=true$`),
      );
      expect(tokenOf(entry?.interactiveLiveViewUrl)).not.toBe(tokenOf(entry?.liveViewUrl));
      expect(Date.parse(entry?.lastActivity ?? "")).toBeGreaterThanOrEqual(Date.parse(entry?.createdAt ?? ""));

      const { value: active, requests: filtered } = await requestsOf(() =>
        firecrawl.listBrowsers({ status: "active" }),
      );
      expect(filtered.map(({ method, path }) => `${method} ${path}`)).toEqual(["GET /v2/browser?status=active"]);
      expect(active.sessions?.map((session) => [session.id, session.status])).toContainEqual([sessionId, "active"]);
      expect(active.sessions?.every((session) => session.status === "active")).toBe(true);
      const destroyed = await firecrawl.listBrowsers({ status: "destroyed" });
      expect(destroyed).toEqual({ success: true, sessions: [] });
    });

    it("deleteBrowser() ends it with DELETE /v2/browser/{id}; later calls on it throw 410", async () => {
      const { value: deleted, requests } = await requestsOf(() => firecrawl.deleteBrowser(sessionId));
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        { method: "DELETE", path: `/v2/browser/${sessionId}`, body: undefined },
      ]);
      expect(deleted).toMatchObject({ success: true, creditsBilled: 0 });
      expect(deleted.sessionDurationMs).toBeGreaterThan(0);

      const destroyed = await firecrawl.listBrowsers({ status: "destroyed" });
      expect(destroyed.sessions?.map((session) => [session.id, session.status])).toEqual([[sessionId, "destroyed"]]);

      await expect
        .poll(() => leftoverProcesses(processesBefore, marks()).filter((entry) => /agent-browser/.test(entry.command)))
        .toEqual([]);

      const again = await sdkError(firecrawl.deleteBrowser(sessionId));
      expect([again.status, again.code, again.message]).toEqual([
        410,
        "session_destroyed",
        "Session already destroyed",
      ]);
      const execute = await sdkError(firecrawl.browserExecute(sessionId, { code: "1", language: "node" }));
      expect([execute.status, execute.code]).toEqual([410, "session_destroyed"]);
    });
  });

  describe("scrape, then interact", () => {
    let scrapeId = "";
    let interactSessionId = "";

    it("scrape() posts to /v2/scrape and unwraps data: exact markdown, html, links and metadata", async () => {
      const url = `${site.origin}/article`;
      const hitsBefore = site.hits.get("/article") ?? 0;
      const { value: doc, requests } = await requestsOf(() =>
        firecrawl.scrape(url, { formats: ["markdown", "html", "links"] }),
      );
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        {
          method: "POST",
          path: "/v2/scrape",
          body: { url, formats: ["markdown", "html", "links"], origin: SDK_ORIGIN },
        },
      ]);
      expect(site.hits.get("/article")).toBe(hitsBefore + 1);
      scrapeId = doc.metadata?.scrapeId ?? "";
      expect(scrapeId).toMatch(UUID);
      // The SDK returns the answer's `data` itself, not `{ success, data }`.
      expect(Object.keys(doc).sort()).toEqual(["html", "links", "markdown", "metadata"]);
      expect(doc.markdown).toBe(
        [
          "# Conformance",
          "Scraped by the **official SDK**.",
          `[Next page](${site.origin}/next) and [absolute link](${site.origin}/absolute)`,
          "Rendered by script",
        ].join("\n\n"),
      );
      expect(doc.links).toEqual([`${site.origin}/next`, `${site.origin}/absolute`]);
      // Cleaned HTML: the rendered body with absolute links, no head and no script.
      expect(doc.html).toContain("<h1>Conformance</h1>");
      expect(doc.html).toContain(`<a id="next" href="${site.origin}/next">Next page</a>`);
      expect(doc.html).toContain('<div id="rendered">Rendered by script</div>');
      expect(doc.html).not.toContain("<script");
      expect(doc.html).not.toContain("<title>");
      expect(doc.metadata).toMatchObject({ title: ARTICLE_TITLE, sourceURL: url, url, statusCode: 200, scrapeId });
    });

    it("interact() with code runs node on the scraped page via POST /v2/scrape/{id}/interact", async () => {
      const code = [
        'console.log("url", page.url());',
        "await page.evaluate(() => { window.marker = 42; });",
        "JSON.stringify({ url: page.url(), title: await page.title() })",
      ].join("\n");
      const { value: run, requests } = await requestsOf(() => firecrawl.interact(scrapeId, { code }));
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        // The SDK fills in language "node" for interact (unlike browserExecute's bash).
        {
          method: "POST",
          path: `/v2/scrape/${scrapeId}/interact`,
          body: { code, language: "node", origin: SDK_ORIGIN },
        },
      ]);
      // The answer carries the interact session's URLs, so a person can take over.
      const host = `127.0.0.1:${emulator.port}`;
      const match = new RegExp(`^http://${host}/live/([0-9a-f-]{36})\\?token=[^&]+$`).exec(run.liveViewUrl ?? "");
      interactSessionId = match?.[1] ?? "";
      expect(interactSessionId).toMatch(UUID);
      expect(run.interactiveLiveViewUrl).toMatch(
        new RegExp(`^http://${host}/live/${interactSessionId}\\?token=[^&]+&interactive=true$`),
      );
      expect(tokenOf(run.interactiveLiveViewUrl)).not.toBe(tokenOf(run.liveViewUrl));
      expect(run.cdpUrl).toMatch(new RegExp(`^ws://${host}/cdp/${interactSessionId}\\?token=[^&]+$`));
      const url = `${site.origin}/article`;
      expect(run).toMatchObject({
        success: true,
        stdout: `url ${url}\n`,
        result: JSON.stringify({ url, title: ARTICLE_TITLE }),
        stderr: "",
        exitCode: 0,
        killed: false,
      });
      expect(run.error ?? null).toBeNull();
      expect(run.output ?? null).toBeNull();

      // A second call reuses the same browser and page: the marker is still there, the URLs are the same.
      const again = await firecrawl.interact(scrapeId, {
        code: "JSON.stringify(await page.evaluate(() => window.marker))",
      });
      expect(again).toMatchObject({ success: true, result: "42", exitCode: 0 });
      expect([again.liveViewUrl, again.cdpUrl]).toEqual([run.liveViewUrl, run.cdpUrl]);
    });

    it("interact() with a prompt runs the emulator's agent on the scraped page and returns its output", async () => {
      const prompt = "What is this page?";
      const { value: run, requests } = await requestsOf(() => firecrawl.interact(scrapeId, { prompt }));
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        // language "node" rides along with a prompt too: the SDK always sets it.
        {
          method: "POST",
          path: `/v2/scrape/${scrapeId}/interact`,
          body: { prompt, language: "node", origin: SDK_ORIGIN },
        },
      ]);
      const url = `${site.origin}/article`;
      expect(run).toMatchObject({
        success: true,
        output: `The page "${ARTICLE_TITLE}" is open`,
        result: JSON.stringify({ url }),
        exitCode: 0,
        killed: false,
      });
      expect(run.error ?? null).toBeNull();
      expect(agentCalls).toEqual([
        {
          prompt,
          url,
          title: ARTICLE_TITLE,
          sessionId: interactSessionId,
          pageInContext: true,
          connected: true,
          aborted: false,
        },
      ]);
    });

    it("the agent acts on the same page that later code sees", async () => {
      const run = await firecrawl.interact(scrapeId, { prompt: "open the next page" });
      expect(run).toMatchObject({ success: true, output: `The page "${NEXT_TITLE}" is open` });
      expect(agentCalls.at(-1)).toMatchObject({ url: `${site.origin}/next`, sessionId: interactSessionId });
      const check = await firecrawl.interact(scrapeId, { code: "page.url()" });
      expect(check).toMatchObject({ success: true, result: `${site.origin}/next`, exitCode: 0 });
    });

    it("a prompt whose agent throws comes back as a 200 with the error, which the SDK returns without throwing", async () => {
      const run = await firecrawl.interact(scrapeId, { prompt: "give up" });
      expect(run).toMatchObject({
        success: true,
        output: null,
        stdout: "",
        result: null,
        exitCode: 1,
        killed: false,
        error: "The test agent gave up",
      });
      expect(run.stderr).toMatch(/^Error: The test agent gave up\n {4}at agent \(/);
    });

    it("code that throws or runs past its timeout is a 200 the SDK returns: success true, with error", async () => {
      const thrown = await firecrawl.interact(scrapeId, { code: 'throw new Error("boom from code")' });
      // Firecrawl answers every finished run with success: true and `error: stderr || "Execution failed"` when the
      // exit code is not 0 or the run was killed.
      const stderr = "Error: boom from code\n    at <code>:1:7\n";
      expect(thrown).toMatchObject({ success: true, stdout: "", result: null, stderr, exitCode: 1, killed: false });
      expect(thrown.error).toBe(stderr);

      const { value: slow, requests } = await requestsOf(() =>
        firecrawl.interact(scrapeId, {
          code: "await new Promise((resolve) => setTimeout(resolve, 20000))",
          timeout: 2,
        }),
      );
      expect(requests.map(({ body, status }) => ({ body, status }))).toEqual([
        {
          body: {
            code: "await new Promise((resolve) => setTimeout(resolve, 20000))",
            language: "node",
            timeout: 2,
            origin: SDK_ORIGIN,
          },
          status: 200,
        },
      ]);
      expect(slow).toMatchObject({
        success: true,
        stdout: "",
        result: null,
        stderr: "",
        exitCode: null,
        killed: true,
        // Firecrawl would say "Execution failed" here (stderr is empty); the emulator names the cause.
        error: "Execution timed out after 2s and was killed",
      });
    });

    it("interact() with both code and prompt is sent as is and answered 400", async () => {
      const { value: error, requests } = await requestsOf(() =>
        sdkError(firecrawl.interact(scrapeId, { code: "1", prompt: "and this" })),
      );
      expect(requests.map(({ body, status }) => ({ body, status }))).toEqual([
        { body: { code: "1", prompt: "and this", language: "node", origin: SDK_ORIGIN }, status: 400 },
      ]);
      expect(error.status).toBe(400);
      expect(error.message).toBe("body must have exactly one of code, prompt");
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.details).toEqual({ field: "body", rule: "oneOf", limit: ["code", "prompt"] });
    });

    it("stopInteraction() stops it with DELETE /v2/scrape/{id}/interact", async () => {
      const { value: stopped, requests } = await requestsOf(() => firecrawl.stopInteraction(scrapeId));
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        { method: "DELETE", path: `/v2/scrape/${scrapeId}/interact`, body: undefined },
      ]);
      expect(stopped.success).toBe(true);
      const destroyed = await firecrawl.listBrowsers({ status: "destroyed" });
      expect(destroyed.sessions?.map((session) => session.id)).toContain(interactSessionId);
      expect(emulator.sessions().find((session) => session.id === interactSessionId)?.status).toBe("destroyed");

      // A scrape job gets one interact session: afterwards interact is a 410, a second stop a 404.
      const after = await sdkError(firecrawl.interact(scrapeId, { code: "1" }));
      expect([after.status, after.code, after.message]).toEqual([
        410,
        "session_destroyed",
        "Browser session has been destroyed.",
      ]);
      const twice = await sdkError(firecrawl.stopInteraction(scrapeId));
      expect([twice.status, twice.code, twice.message]).toEqual([404, "not_found", "Browser session not found."]);
    });
  });

  describe("scrape options", () => {
    it("scrape() with formats images, actions and headers: the page's images, the actions' outputs, the header it got", async () => {
      const url = `${site.origin}/gallery`;
      const actions = [
        { type: "click" as const, selector: "#more" },
        { type: "click" as const, selector: "#more" },
        { type: "executeJavascript" as const, script: "document.getElementById('more').textContent" },
        { type: "scrape" as const },
      ];
      const headers = { "X-Test": "from-the-sdk" };
      const { value: doc, requests } = await requestsOf(() =>
        firecrawl.scrape(url, { formats: ["images"], actions, headers }),
      );
      expect(requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        {
          method: "POST",
          path: "/v2/scrape",
          body: { url, formats: ["images"], actions, headers, origin: SDK_ORIGIN },
        },
      ]);
      expect(Object.keys(doc).sort()).toEqual(["actions", "images", "metadata"]);
      expect(doc.images).toEqual([`${site.origin}/one.png`, `${site.origin}/two.jpg`]);
      expect(doc.actions).toEqual({
        screenshots: [],
        scrapes: [{ url, html: expect.stringContaining('<p id="header">X-Test: from-the-sdk</p>') }],
        javascriptReturns: [{ type: "string", value: "2" }],
        pdfs: [],
      });
      expect(doc.metadata).toMatchObject({ title: "SDK conformance gallery", sourceURL: url, url, statusCode: 200 });
    });
  });

  describe("errors the SDK surfaces", () => {
    it("throws before sending anything for an interact with neither code nor prompt, or an empty job id", async () => {
      proxy.clear();
      const neither = await rejection(firecrawl.interact(randomUUID(), { code: "  " }));
      expect(neither).not.toBeInstanceOf(SdkError);
      expect((neither as Error).message).toBe("Either 'code' or 'prompt' must be provided");
      const noJob = await rejection(firecrawl.interact(" ", { code: "1" }));
      expect((noJob as Error).message).toBe("Job ID cannot be empty");
      const noStopJob = await rejection(firecrawl.stopInteraction(""));
      expect((noStopJob as Error).message).toBe("Job ID cannot be empty");
      const noUrl = await rejection(firecrawl.scrape(" "));
      expect((noUrl as Error).message).toBe("URL cannot be empty");
      expect(proxy.requests).toEqual([]);
    });

    it("throws an SdkError with status 404 for an unknown scrape id (interact and stopInteraction)", async () => {
      const unknown = randomUUID();
      const error = await sdkError(firecrawl.interact(unknown, { code: "1" }));
      expect({ name: error.name, status: error.status, code: error.code, message: error.message }).toEqual({
        name: "FirecrawlSdkError",
        status: 404,
        code: "not_found",
        message: "Job not found.",
      });
      // With no `details` in the body, the SDK puts the whole body there.
      expect(error.details).toEqual({ success: false, error: "Job not found.", code: "not_found" });
      const stop = await sdkError(firecrawl.stopInteraction(unknown));
      expect([stop.status, stop.code, stop.message]).toEqual([404, "not_found", "Job not found."]);
    });

    it("throws 404 for stopInteraction() on a scrape that was never interacted with", async () => {
      const doc = await firecrawl.scrape(`${site.origin}/next`, { formats: ["links"] });
      expect(doc.links).toEqual([]);
      expect(doc.metadata?.scrapeId).toMatch(UUID);
      const error = await sdkError(firecrawl.stopInteraction(doc.metadata?.scrapeId ?? ""));
      expect([error.status, error.code, error.message]).toEqual([404, "not_found", "Browser session not found."]);
    });

    it("throws 400 for a scrape id that is not a UUID", async () => {
      const error = await sdkError(firecrawl.interact("not-a-uuid", { code: "1" }));
      expect([error.status, error.code]).toEqual([400, "BAD_REQUEST"]);
      expect(error.details).toMatchObject({ field: "jobId", rule: "format" });
    });

    it("throws 404 for an unknown browser session id", async () => {
      const error = await sdkError(firecrawl.browserExecute(randomUUID(), { code: "1", language: "node" }));
      expect([error.status, error.code, error.message]).toEqual([404, "not_found", "Session not found"]);
    });

    it("throws 401 with a wrong API key, and never echoes it", async () => {
      const wrong = new Firecrawl({ apiKey: "fc-wrong-key", apiUrl: proxy.origin });
      const error = await sdkError(wrong.listBrowsers());
      expect([error.status, error.code, error.message]).toEqual([
        401,
        "unauthorized",
        "Unauthorized: missing or invalid API key",
      ]);
      expect(JSON.stringify(error.details)).not.toContain("fc-wrong-key");
    });
  });

  it("closing the emulator leaves no Chromium, agent-browser or python process started by the suite", async () => {
    const spawned = emulator.spawnedPids();
    expect(spawned.length).toBeGreaterThan(0);
    // The check sees this suite's processes: its Chromiums (warm pool, interact sessions) are found before close.
    expect(leftoverProcesses(processesBefore, marks()).some((entry) => /chrom/i.test(entry.command))).toBe(true);
    await emulator.close();
    await expect
      .poll(
        () => ({
          groups: spawned.flatMap((pid) => processGroupMembers(pid)),
          leftover: leftoverProcesses(processesBefore, marks()),
        }),
        {
          timeout: 15_000,
        },
      )
      .toEqual({ groups: [], leftover: [] });
  });
});
