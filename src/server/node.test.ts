import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createInteractClient } from "../client/client.js";
import { InteractApiError } from "../core/errors.js";
import { createInteractMiddleware, type NodeMiddleware } from "./node.js";
import { FAKE_KEY, fakeUpstream } from "./test-helpers/fake-upstream.js";

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** Serves the middleware the way Connect does: anything it passes on gets a plain 418 "next". */
async function serve(
  middleware: NodeMiddleware,
  before?: (request: IncomingMessage & { body?: unknown; originalUrl?: string }) => void,
) {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    before?.(request);
    middleware(request, response, (error?: unknown) => {
      response.statusCode = error ? 500 : 418;
      response.end(error ? "error" : "next");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("createInteractMiddleware", () => {
  it("serves the typed client end to end, with the server's key replacing the browser's", async () => {
    const upstream = fakeUpstream((call) => {
      if (call.method === "POST" && call.url.endsWith("/interact")) return { json: { success: true, id: "s1" } };
      if (call.method === "GET") return { json: { success: true, sessions: [{ id: "s1", status: "active" }] } };
      if (call.url.endsWith("/execute")) return { json: { success: true, stdout: "2\n", exitCode: 0 } };
      return { json: { success: true, sessionDurationMs: 5, creditsBilled: 0 } };
    });
    const origin = await serve(
      createInteractMiddleware({
        passThrough: true,
        apiKey: FAKE_KEY,
        fetch: upstream.fetch,
        limits: { allowExecute: true },
      }),
    );
    const client = createInteractClient({ baseUrl: `${origin}/api/firecrawl`, apiKey: "browser-key" });
    expect(await client.createSession({ ttl: 60 })).toEqual({ success: true, id: "s1" });
    expect(await client.listSessions({ status: "active" })).toEqual({
      success: true,
      sessions: [{ id: "s1", status: "active" }],
    });
    expect(await client.execute("s1", { code: "console.log(1 + 1)" })).toEqual({
      success: true,
      stdout: "2\n",
      exitCode: 0,
    });
    expect(await client.deleteSession("s1")).toEqual({ success: true, sessionDurationMs: 5, creditsBilled: 0 });
    expect(upstream.calls.map((call) => [call.method, call.url, call.body, call.headers.authorization])).toEqual([
      ["POST", "https://api.firecrawl.dev/v2/interact", { ttl: 60 }, `Bearer ${FAKE_KEY}`],
      ["GET", "https://api.firecrawl.dev/v2/interact?status=active", undefined, `Bearer ${FAKE_KEY}`],
      [
        "POST",
        "https://api.firecrawl.dev/v2/interact/s1/execute",
        { code: "console.log(1 + 1)" },
        `Bearer ${FAKE_KEY}`,
      ],
      ["DELETE", "https://api.firecrawl.dev/v2/interact/s1", undefined, `Bearer ${FAKE_KEY}`],
    ]);
  });

  it("surfaces upstream errors to the client with status, code and Retry-After", async () => {
    const upstream = fakeUpstream(() => ({
      status: 429,
      json: { success: false, error: "Too many sessions", code: "rate_limited" },
      headers: { "retry-after": "12" },
    }));
    const origin = await serve(
      createInteractMiddleware({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch }),
    );
    const client = createInteractClient({ baseUrl: `${origin}/api/firecrawl` });
    const error = await client.createSession().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InteractApiError);
    expect(error).toMatchObject({
      status: 429,
      code: "rate_limited",
      message: "Too many sessions",
      retryAfterMs: 12_000,
    });
  });

  it("passes requests outside basePath to next and answers those below it itself", async () => {
    const upstream = fakeUpstream();
    const origin = await serve(
      createInteractMiddleware({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch }),
    );
    const outside = await fetch(`${origin}/index.html`);
    expect([outside.status, await outside.text()]).toEqual([418, "next"]);
    const sibling = await fetch(`${origin}/api/firecrawlx/interact`);
    expect(sibling.status).toBe(418);
    const below = await fetch(`${origin}/api/firecrawl/crawl`);
    expect(below.status).toBe(404);
    expect(upstream.calls).toHaveLength(0);
  });

  it("uses originalUrl and an already-parsed body, as behind Express's mount points and express.json()", async () => {
    const upstream = fakeUpstream();
    const origin = await serve(
      createInteractMiddleware({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch }),
      (request) => {
        request.originalUrl = request.url;
        request.url = "/interact";
        request.body = { ttl: 45 };
        request.resume();
      },
    );
    const response = await fetch(`${origin}/api/firecrawl/interact`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(upstream.calls.map((call) => [call.url, call.body])).toEqual([
      ["https://api.firecrawl.dev/v2/interact", { ttl: 45 }],
    ]);
  });

  it("streams a request body in and refuses one over maxBodyBytes with 413", async () => {
    const upstream = fakeUpstream();
    const origin = await serve(
      createInteractMiddleware({
        passThrough: true,
        apiKey: FAKE_KEY,
        fetch: upstream.fetch,
        maxBodyBytes: 1024,
        limits: { allowExecute: true },
      }),
    );
    const response = await fetch(`${origin}/api/firecrawl/interact/s1/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "x".repeat(2048) }),
    });
    expect(response.status).toBe(413);
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 413 to a chunked body that grows past maxBodyBytes, on a live connection", async () => {
    const upstream = fakeUpstream();
    const origin = await serve(
      createInteractMiddleware({
        passThrough: true,
        apiKey: FAKE_KEY,
        fetch: upstream.fetch,
        maxBodyBytes: 1024,
        limits: { allowExecute: true },
      }),
    );
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${origin}/api/firecrawl/interact/s1/execute`, {
        method: "POST",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on("error", reject);
      request.write(`{"code":"${"x".repeat(800)}`);
      request.write(`${"x".repeat(800)}"}`);
      request.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({
      success: false,
      code: "payload_too_large",
      error: "Request body is larger than 1024 bytes",
    });
    expect(upstream.calls).toHaveLength(0);
  });

  it("aborts the upstream call when the browser goes away", async () => {
    let upstreamSignal: AbortSignal | undefined;
    let reached: () => void = () => {};
    const upstreamReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const hangingFetch = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        upstreamSignal = init?.signal ?? undefined;
        upstreamSignal?.addEventListener("abort", () => reject(upstreamSignal?.reason));
        reached();
      });
    const origin = await serve(
      createInteractMiddleware({ passThrough: true, apiKey: FAKE_KEY, fetch: hangingFetch as typeof fetch }),
    );
    const browser = new AbortController();
    const pending = fetch(`${origin}/api/firecrawl/interact`, { signal: browser.signal }).catch(() => "aborted");
    await upstreamReached;
    expect(upstreamSignal?.aborted).toBe(false);
    browser.abort();
    expect(await pending).toBe("aborted");
    await expect.poll(() => upstreamSignal?.aborted).toBe(true);
  });
});
