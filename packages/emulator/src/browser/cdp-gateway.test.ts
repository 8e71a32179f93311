import { request } from "node:http";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import { waitFor } from "../test-helpers/index.js";
import type { CdpEvent } from "./cdp.js";
import { CdpGateway } from "./cdp-gateway.js";
import { resolveChromium } from "./chromium.js";
import { type LaunchedBrowser, launchBrowser } from "./launch.js";

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
  sessionId?: string;
}

/** A raw CDP client on a WebSocket that records every message it gets. */
class RawClient {
  readonly messages: Message[] = [];
  readonly closed: Promise<number>;
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => this.messages.push(JSON.parse(data.toString()) as Message));
    this.closed = new Promise((resolve) => socket.once("close", (code) => resolve(code)));
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once("open", () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends a command with a given id and waits for the answer of that id. */
  async call(id: number, method: string, params: Record<string, unknown> = {}, sessionId?: string) {
    const seen = this.messages.length;
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return waitFor(`the answer to ${method}`, () => this.messages.slice(seen).find((message) => message.id === id));
  }

  events(method: string): Message[] {
    return this.messages.filter((message) => message.method === method);
  }
}

/** Answers of an upgrade the gateway refuses: its HTTP status. */
function refusedStatus(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.on("error", () => undefined);
    socket.once("unexpected-response", (upgrade, response) => {
      resolve(response.statusCode ?? 0);
      upgrade.destroy();
    });
    socket.once("open", () => reject(new Error(`${url} was accepted`)));
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

let gateway: CdpGateway;
let browser: LaunchedBrowser;
const emulatorEvents: CdpEvent[] = [];

beforeAll(async () => {
  gateway = new CdpGateway();
  browser = await launchBrowser({ executablePath: (await resolveChromium()).path, gateway });
  browser.connection.onEvent((event) => emulatorEvents.push(event));
});

afterAll(async () => {
  await browser?.kill();
  await gateway?.close();
});

describe("CdpGateway: the emulator's clients reach a pipe-driven Chromium only with its token", () => {
  test("the endpoint is a loopback WebSocket path holding a 256-bit token", () => {
    expect(browser.wsEndpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\/[A-Za-z0-9_-]{43}$/);
  });

  test("no HTTP request is answered: no /json discovery to learn the endpoint from", async () => {
    const origin = browser.wsEndpoint.replace(/^ws/, "http").replace(/\/devtools\/.*$/, "");
    for (const path of ["/json/version", "/json/list", "/json", "/", new URL(browser.wsEndpoint).pathname]) {
      expect(await httpGet(`${origin}${path}`)).toEqual({ status: 404, body: "" });
    }
  });

  test("upgrades with a wrong or missing token, another Host or a web page's Origin are refused", async () => {
    const url = new URL(browser.wsEndpoint);
    const wrongToken = `${url.origin.replace("http", "ws")}/devtools/browser/${"A".repeat(43)}`;
    expect(await refusedStatus(wrongToken)).toBe(404);
    expect(await refusedStatus(`ws://${url.host}/devtools/browser/`)).toBe(404);
    expect(await refusedStatus(`ws://${url.host}/devtools/page/x`)).toBe(404);
    expect(await refusedStatus(browser.wsEndpoint, { headers: { Host: `localhost:${url.port}` } })).toBe(403);
    expect(await refusedStatus(browser.wsEndpoint, { origin: "http://evil.example" })).toBe(403);
  });

  test("two clients using the same command ids each get their own answer", async () => {
    const [a, b] = await Promise.all([RawClient.open(browser.wsEndpoint), RawClient.open(browser.wsEndpoint)]);
    try {
      const [version, targets] = await Promise.all([a.call(1, "Browser.getVersion"), b.call(1, "Target.getTargets")]);
      expect(version.result?.product).toMatch(/Chrome/);
      expect(version).not.toHaveProperty("sessionId");
      expect(targets.result?.targetInfos).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: "page", url: "about:blank" })]),
      );
      expect(a.messages.filter((message) => message.id === 1)).toHaveLength(1);
      expect(b.messages.filter((message) => message.id === 1)).toHaveLength(1);
    } finally {
      a.socket.close();
      b.socket.close();
    }
  });

  test("a client's sessions and events are its own: another client gets 'not found', the emulator sees none", async () => {
    const [a, b] = await Promise.all([RawClient.open(browser.wsEndpoint), RawClient.open(browser.wsEndpoint)]);
    try {
      const targets = await a.call(1, "Target.getTargets");
      const infos = targets.result?.targetInfos as { targetId: string; type: string }[];
      const page = infos.find((info) => info.type === "page");
      const attached = await a.call(2, "Target.attachToTarget", { targetId: page?.targetId, flatten: true });
      const sessionId = attached.result?.sessionId as string;
      expect(sessionId).toMatch(/^[0-9A-F]{32}$/);
      await a.call(3, "Runtime.enable", {}, sessionId);
      expect(await a.call(4, "Runtime.evaluate", { expression: "6 * 7" }, sessionId)).toMatchObject({
        id: 4,
        result: { result: { type: "number", value: 42 } },
        sessionId,
      });
      expect(a.events("Runtime.executionContextCreated").map((event) => event.sessionId)).toContain(sessionId);

      expect(await b.call(4, "Runtime.evaluate", { expression: "1" }, sessionId)).toEqual({
        id: 4,
        error: { code: -32001, message: "Session with given id not found." },
      });
      expect(b.messages.filter((message) => message.sessionId === sessionId)).toEqual([]);
      expect(emulatorEvents.filter((event) => event.sessionId === sessionId)).toEqual([]);

      // Discovery switched on by one client reports to that client only.
      await a.call(5, "Target.setDiscoverTargets", { discover: true });
      expect(a.events("Target.targetCreated").length).toBeGreaterThan(0);
      expect(b.events("Target.targetCreated")).toEqual([]);
      expect(emulatorEvents.filter((event) => event.method === "Target.targetCreated")).toEqual([]);

      // A client going away detaches its sessions: the page has no debugger left.
      a.socket.close();
      await a.closed;
      await waitFor("the page to be detached", async () => {
        const after = await b.call(Date.now(), "Target.getTargets");
        const infosAfter = after.result?.targetInfos as { targetId: string; attached: boolean }[];
        return infosAfter.find((info) => info.targetId === page?.targetId)?.attached === false;
      });
    } finally {
      a.socket.close();
      b.socket.close();
    }
  });

  test("malformed messages are answered as Chromium would, and the client stays connected", async () => {
    const client = await RawClient.open(browser.wsEndpoint);
    try {
      client.socket.send("not json");
      client.socket.send(JSON.stringify({ id: 1.5, method: "Browser.getVersion" }));
      client.socket.send(JSON.stringify({ id: 7 }));
      await waitFor("three error answers", () => client.messages.length >= 3);
      expect(client.messages.map((message) => [message.id, message.error?.code])).toEqual([
        [undefined, -32700],
        [undefined, -32600],
        [7, -32600],
      ]);
      expect((await client.call(8, "Browser.getVersion")).result?.product).toMatch(/Chrome/);
    } finally {
      client.socket.close();
    }
  });

  test("Playwright's connectOverCDP drives the page through the gateway beside another client", async () => {
    const other = await RawClient.open(browser.wsEndpoint);
    const playwright = await chromium.connectOverCDP(browser.wsEndpoint);
    try {
      const page = playwright.contexts()[0]?.pages()[0];
      if (!page) throw new Error("no page");
      await page.setContent("<title>through the gateway</title>");
      expect(await page.title()).toBe("through the gateway");
      expect(await page.evaluate(() => 6 * 7)).toBe(42);
      expect(other.messages).toEqual([]);
    } finally {
      await playwright.close();
      other.socket.close();
    }
  });

  test("the browser going away closes its clients with 1011 and takes its endpoint off", async () => {
    const client = await RawClient.open(browser.wsEndpoint);
    const endpoint = browser.wsEndpoint;
    await browser.kill();
    expect(await client.closed).toBe(1011);
    expect(await refusedStatus(endpoint)).toBe(404);
  });
});
