import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { startEmulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  startSuiteEmulator,
  startTestSite,
  TEST_KEY,
} from "../test-helpers/index.js";
import { createOriginGuard } from "./origin-guard.js";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const APP_ORIGIN = "http://app.localhost:5173";
let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite({ "/": "<!doctype html><title>target</title>" });
  // No warm pool: a scrape that got through would show as a launched Chromium in spawnedPids().
  emulator = await startSuiteEmulator("emulator.admission", {
    apiKey: TEST_KEY,
    warmPool: 0,
    allowedOrigins: [APP_ORIGIN],
  });
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.admission", emulator, processesBefore);
});

/** One request with exactly these headers (plus the key unless `auth: null`), answered as status and JSON body. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${emulator.origin}${path}`, { method, headers });
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** An upgrade's answer status (the handshake is refused before any session is looked at when it is a 403). */
const upgrade = (path: string, headers: Record<string, string>) =>
  send("GET", path, {
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    ...headers,
  });

const KEY = { Authorization: `Bearer ${TEST_KEY}` };
const ORIGIN_REFUSED = { success: false, error: "Origin not allowed", code: "forbidden" };
const NOT_JSON = {
  success: false,
  error: "Request body must be sent as application/json",
  code: "unsupported_media_type",
};

describe("403: a page on another origin cannot drive the emulator", () => {
  test("a cross-origin text/plain POST to /v2/scrape (with or without the key) is refused and starts no browser", async () => {
    const body = JSON.stringify({ url: site.origin });
    for (const headers of [{}, KEY]) {
      const answer = await send(
        "POST",
        "/v2/scrape",
        { Origin: "https://evil.example", "Content-Type": "text/plain", ...headers },
        body,
      );
      expect([answer.status, answer.body]).toEqual([403, ORIGIN_REFUSED]);
    }
    expect(emulator.spawnedPids()).toEqual([]);
    expect(emulator.sessions()).toEqual([]);
  });

  const FOREIGN = [
    "https://evil.example",
    "null",
    // The emulator's address on another port, or its name with another scheme and port, is another site.
    "http://127.0.0.1:1",
    "http://localhost",
    "http://app.localhost:5174",
    "not an origin",
  ];

  test.each(FOREIGN)("Origin %s → 403 on every route, before auth or the body is looked at", async (origin) => {
    const json = { Origin: origin, "Content-Type": "application/json", ...KEY };
    const answers = [
      await send("POST", "/v2/interact", json, "{}"),
      await send("GET", "/v2/interact", { Origin: origin }),
      await send("POST", `/v2/scrape/${UNKNOWN_ID}/interact`, json, JSON.stringify({ code: "1" })),
      await send("GET", `/live/${UNKNOWN_ID}?token=x`, { Origin: origin }),
      await send("GET", "/", { Origin: origin }),
    ];
    expect(answers).toEqual(answers.map(() => ({ status: 403, body: ORIGIN_REFUSED })));
    expect(emulator.sessions()).toEqual([]);
  });

  test.each(FOREIGN)("Origin %s → 403 on the CDP and live-view sockets", async (origin) => {
    for (const kind of ["cdp", "live"]) {
      const answer = await upgrade(`/${kind}/${UNKNOWN_ID}?token=x`, { Origin: origin });
      expect([answer.status, answer.body]).toEqual([403, ORIGIN_REFUSED]);
    }
  });

  test("the emulator's own origin (as the Host it was reached on) and allowedOrigins pass", async () => {
    const port = emulator.port;
    const own: [string, string][] = [
      [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [`localhost:${port}`, `http://localhost:${port}`],
      [`[::1]:${port}`, `http://[::1]:${port}`],
      // Behind a TLS-terminating proxy that keeps the Host.
      [`localhost:${port}`, `https://localhost:${port}`],
      [`127.0.0.1:${port}`, APP_ORIGIN],
    ];
    for (const [host, origin] of own) {
      const listed = await send("GET", "/v2/interact", { Host: host, Origin: origin, ...KEY });
      expect([host, origin, listed.status]).toEqual([host, origin, 200]);
      // Past the Origin check, a socket to an unknown session is a 404.
      const socket = await upgrade(`/live/${UNKNOWN_ID}?token=x`, { Host: host, Origin: origin });
      expect([host, origin, socket.status]).toEqual([host, origin, 404]);
    }
    // No Origin at all (curl, SDKs, servers) passes too.
    expect((await call(emulator, "GET", "/interact")).status).toBe(200);
  });
});

describe("415: bodies are JSON only", () => {
  const BODY_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
  ];

  test.each(BODY_TYPES)("a %s body → 415 on scrape, create and execute, and starts nothing", async (type) => {
    const body = JSON.stringify({ url: site.origin });
    const answers = [
      await send("POST", "/v2/scrape", { "Content-Type": type, ...KEY }, body),
      await send("POST", "/v2/interact", { "Content-Type": type, ...KEY }, "{}"),
      await send("POST", `/v2/interact/${UNKNOWN_ID}/execute`, { "Content-Type": type, ...KEY }, '{"code":"1"}'),
    ];
    expect(answers).toEqual(answers.map(() => ({ status: 415, body: NOT_JSON })));
    expect(emulator.spawnedPids()).toEqual([]);
  });

  test("a body with no Content-Type → 415; a chunked text body too", async () => {
    const untyped = await send("POST", "/v2/scrape", { "Content-Length": "2", ...KEY }, "{}");
    expect([untyped.status, untyped.body]).toEqual([415, NOT_JSON]);
    const chunked = await send(
      "POST",
      "/v2/scrape",
      { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", ...KEY },
      "{}",
    );
    expect([chunked.status, chunked.body]).toEqual([415, NOT_JSON]);
    expect(emulator.spawnedPids()).toEqual([]);
  });

  test("application/json (any case, with parameters) is read; a request without a body needs no type", async () => {
    const types = ["application/json", "Application/JSON; charset=utf-8"];
    for (const type of types) {
      const answer = await send("POST", "/v2/scrape", { "Content-Type": type, ...KEY }, '{"url":"file:///etc/passwd"}');
      // Past the type check: the file: URL is the scrape's own 400.
      expect([type, answer.status, answer.body.code]).toEqual([type, 400, "BAD_REQUEST"]);
    }
    const removed = await send("DELETE", `/v2/interact/${UNKNOWN_ID}`, KEY);
    expect([removed.status, removed.body.code]).toEqual([404, "not_found"]);
    const empty = await send("POST", `/v2/scrape/${UNKNOWN_ID}/interact`, { "Content-Length": "0", ...KEY });
    // Past the type check: an empty body is `{}`, which lacks code or prompt.
    expect([empty.status, empty.body.code]).toEqual([400, "BAD_REQUEST"]);
  });
});

describe("createOriginGuard", () => {
  test("allowedOrigins entries must be origins: startEmulator refuses anything else before it starts", async () => {
    for (const entry of ["localhost:5173", "http://localhost:5173/app", "ftp://x.test", "*"]) {
      expect(() => createOriginGuard([entry])).toThrow(
        `allowedOrigins: ${JSON.stringify(entry)} is not an origin like http://localhost:5173`,
      );
    }
    const started = startEmulator({ allowedOrigins: ["*"], quiet: true, warmPool: 0 });
    try {
      await expect(started).rejects.toThrow('allowedOrigins: "*" is not an origin like http://localhost:5173');
    } finally {
      // Should it have started after all, nothing of it outlives the test.
      await started.then((late) => late.close()).catch(() => undefined);
    }
  });

  test("an allowed origin is compared as an origin: default port and trailing slash do not matter", () => {
    const allowed = createOriginGuard(["http://LOCALHOST:80/", "https://app.example"]);
    expect(allowed("http://localhost", "127.0.0.1:3002")).toBe(true);
    expect(allowed("https://app.example", "127.0.0.1:3002")).toBe(true);
    expect(allowed("https://app.example:8443", "127.0.0.1:3002")).toBe(false);
    expect(allowed(undefined, "127.0.0.1:3002")).toBe(true);
    expect(allowed("http://127.0.0.1:3002", "127.0.0.1:3002")).toBe(true);
    expect(allowed("http://127.0.0.1:3002", undefined)).toBe(false);
  });
});
