import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator, TEST_KEY } from "../test-helpers/index.js";
import { MAX_BODY_DEPTH } from "./json.js";

let emulator: Emulator;
const processesBefore = chromiumProcessCount();
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  // No warm pool: any Chromium a hostile request started would show in spawnedPids().
  emulator = await startSuiteEmulator("emulator.hostile", { apiKey: TEST_KEY, warmPool: 0 });
});

afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await finishSuite("emulator.hostile", emulator, processesBefore);
});

/** A raw HTTP exchange: what the server wrote before it closed the connection (or 5 s passed). */
function raw(request: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(emulator.port, "127.0.0.1");
    let text = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1] ?? 0), text });
    };
    const timer = setTimeout(done, 5_000);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    socket.on("close", done);
    // A server that answers before it read everything may reset the rest of the write: the answer counts.
    socket.on("error", () => undefined);
    socket.write(request, "latin1");
  });
}

const host = () => `Host: 127.0.0.1:${emulator.port}\r\n`;
const UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
const KEY_HEADER = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

/** Still alive and serving: the spec's list answers with the key. */
async function expectServing(): Promise<void> {
  const listed = await call(emulator, "GET", "/interact");
  expect([listed.status, listed.body.success]).toEqual([200, true]);
}

/** The JSON body of a raw answer. */
const bodyOf = (text: string): unknown => JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));

describe("no request, however malformed, ends the emulator", () => {
  const MALFORMED: [string, () => string][] = [
    ["GET //", () => `GET // HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`],
    ["GET //v2/interact", () => `GET //v2/interact HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`],
    ["GET *", () => `GET * HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`],
    ["OPTIONS *", () => `OPTIONS * HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`],
    ["an absolute-form target", () => `GET http://[::1/v2/interact HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`],
    ["a WebSocket upgrade to //", () => `GET // HTTP/1.1\r\n${host()}${UPGRADE}${KEY_HEADER}\r\n`],
    ["a WebSocket upgrade to *", () => `GET * HTTP/1.1\r\n${host()}${UPGRADE}${KEY_HEADER}\r\n`],
    ["a WebSocket upgrade to //live/x", () => `GET //live/x?token=a HTTP/1.1\r\n${host()}${UPGRADE}${KEY_HEADER}\r\n`],
  ];

  test.each(MALFORMED)("%s → 400 BAD_REQUEST, and the emulator still serves", async (_name, request) => {
    const answer = await raw(request());
    expect(answer.status).toBe(400);
    expect(bodyOf(answer.text)).toEqual({ success: false, error: "Malformed request target", code: "BAD_REQUEST" });
    await expectServing();
  });

  test("bytes that are not HTTP → 400 and the connection closed; the emulator still serves", async () => {
    const answer = await raw("\u0000\u0001 not http at all\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(bodyOf(answer.text)).toEqual({ success: false, error: "Malformed HTTP request", code: "BAD_REQUEST" });
    await expectServing();
  });

  test("a 100 kB header → 431 and the connection closed, on a request and on an upgrade; the emulator still serves", async () => {
    const big = `X-Big: ${"a".repeat(100_000)}\r\n`;
    for (const request of [
      `GET /v2/interact HTTP/1.1\r\n${host()}${big}\r\n`,
      `GET /live/x?token=a HTTP/1.1\r\n${host()}${UPGRADE}${KEY_HEADER}${big}\r\n`,
    ]) {
      const answer = await raw(request);
      expect(answer.status).toBe(431);
      expect(bodyOf(answer.text)).toEqual({
        success: false,
        error: "Request headers are too large",
        code: "BAD_REQUEST",
      });
    }
    await expectServing();
  });

  test("an upgrade with no WebSocket key to an unknown live view → 404; the emulator still serves", async () => {
    const answer = await raw(`GET /live/x?token=a HTTP/1.1\r\n${host()}${UPGRADE}\r\n`);
    expect(answer.status).toBe(404);
    await expectServing();
  });

  test("none of the requests above left an unhandled rejection or started a browser", () => {
    expect(rejections).toEqual([]);
    expect(emulator.spawnedPids()).toEqual([]);
  });
});

/** `depth` nested arrays around `inner`. */
const nestedArrays = (depth: number, inner = "") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;

/** `depth` nested objects `{"a":…}` around `inner`. */
const nestedObjects = (depth: number, inner = "1") => `${'{"a":'.repeat(depth)}${inner}${"}".repeat(depth)}`;

const TOO_DEEP = {
  success: false,
  error: `body nests deeper than ${MAX_BODY_DEPTH} levels`,
  code: "BAD_REQUEST",
  details: { field: "body", rule: "maximum", limit: MAX_BODY_DEPTH },
};

describe("bounded parsing: deep JSON is a 400, never a stack overflow", () => {
  const DEEP: [string, string, string][] = [
    ["POST", "/scrape", `{"url":"http://127.0.0.1:9/","formats":[${nestedArrays(100_000)}]}`],
    ["POST", "/scrape", `{"url":"http://127.0.0.1:9/","formats":[${nestedObjects(100_000)}]}`],
    ["POST", "/interact", `{"profile":${nestedObjects(100_000)}}`],
    ["POST", "/interact/00000000-0000-4000-8000-000000000000/execute", `{"code":${nestedArrays(100_000, "1")}}`],
  ];

  test.each(DEEP)(
    "%s %s with a 100k-deep value → 400 BAD_REQUEST; the emulator still serves",
    async (method, path, rawBody) => {
      const answer = await call(emulator, method, path, { rawBody });
      expect([answer.status, answer.body]).toEqual([400, TOO_DEEP]);
      await expectServing();
    },
  );

  test(`a body exactly ${MAX_BODY_DEPTH} levels deep is read (and judged by the usual rules)`, async () => {
    // The body object is level 1, the formats array level 2: the innermost array sits at the limit.
    const rawBody = `{"url":"http://127.0.0.1:9/","formats":[${nestedArrays(MAX_BODY_DEPTH - 2)}]}`;
    const answer = await call(emulator, "POST", "/scrape", { rawBody });
    expect([answer.status, answer.body.code, (answer.body.details as { field: string }).field]).toEqual([
      400,
      "BAD_REQUEST",
      "formats[0]",
    ]);
    const deeper = await call(emulator, "POST", "/scrape", {
      rawBody: `{"url":"http://127.0.0.1:9/","formats":[${nestedArrays(MAX_BODY_DEPTH - 1)}]}`,
    });
    expect([deeper.status, deeper.body]).toEqual([400, TOO_DEEP]);
    expect(emulator.spawnedPids()).toEqual([]);
  });
});
