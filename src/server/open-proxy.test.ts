import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInteractHandler } from "./handler.js";
import { toNodeHandler } from "./node.js";
import { FAKE_KEY, fakeUpstream, proxyRequest } from "./test-helpers/fake-upstream.js";

const ID = "sess_1";
const JOB = "3f2b8c1e-9d4a-4e6b-8a7c-1b2d3e4f5a6b";
const SCRAPE = `/api/firecrawl/scrape/${JOB}/interact`;

// Every row must be answered by the proxy itself: 404 (not a forwarded operation) or 405 (known path, other method).
const FETCH_TABLE: readonly [name: string, method: string, url: string, status: 404 | 405, allow?: string][] = [
  ["absolute URL inside the path", "GET", "/api/firecrawl/https://evil.example/interact", 404],
  ["protocol-relative URL inside the path", "GET", "/api/firecrawl//evil.example/v2/interact", 404],
  ["dot-dot escaping basePath", "GET", "/api/firecrawl/interact/../../../v1/scrape", 404],
  ["dot-dot after a session", "POST", `/api/firecrawl/interact/${ID}/execute/../../../../v1/crawl`, 404],
  ["encoded dot-dot", "GET", "/api/firecrawl/%2e%2e/%2e%2e/v1/scrape", 404],
  ["encoded dot-dot as the session id", "DELETE", "/api/firecrawl/interact/%2e%2e", 404],
  ["encoded slash in the path", "GET", "/api/firecrawl/interact%2F..%2F..%2Fv1%2Fscrape", 404],
  ["encoded slash in the session id", "POST", `/api/firecrawl/interact/${ID}%2Fexecute`, 404],
  ["encoded backslash", "DELETE", `/api/firecrawl/interact/${ID}%5C..%5Cx`, 404],
  ["backslashes", "GET", "/api/firecrawl/interact\\..\\..\\v1\\scrape", 404],
  ["double slash before the operation", "GET", "/api/firecrawl//interact", 404],
  ["double slash before execute", "POST", `/api/firecrawl/interact/${ID}//execute`, 404],
  ["trailing slash", "GET", "/api/firecrawl/interact/", 404],
  ["dot in the session id", "DELETE", "/api/firecrawl/interact/a.b", 404],
  ["session id over the spec's length", "DELETE", `/api/firecrawl/interact/${"a".repeat(129)}`, 404],
  ["encoded question mark", "GET", "/api/firecrawl/interact%3Fstatus=active", 404],
  ["encoded question mark in the session id", "POST", `/api/firecrawl/interact/${ID}%3F/execute`, 404],
  ["undeclared query parameter", "GET", "/api/firecrawl/interact?url=https://evil.example/", 404],
  ["query smuggling a path", "GET", "/api/firecrawl/interact?status=active&/../../v1/scrape", 404],
  ["duplicated query parameter", "GET", "/api/firecrawl/interact?status=active&status=destroyed", 404],
  ["query on delete", "DELETE", `/api/firecrawl/interact/${ID}?force=true`, 404],
  ["query on create", "POST", "/api/firecrawl/interact?ttl=3600", 404],
  ["another operation of the API", "POST", "/api/firecrawl/crawl", 404],
  ["scrape interact with a job id that is not a uuid", "POST", "/api/firecrawl/scrape/job1/interact", 404],
  ["scrape stop with a job id that is not a uuid", "DELETE", "/api/firecrawl/scrape/job1/interact", 404],
  ["scrape interact with a session id as the job", "POST", `/api/firecrawl/scrape/${ID}/interact`, 404],
  ["job id: a uuid with a trailing character", "POST", `/api/firecrawl/scrape/${JOB}0/interact`, 404],
  ["job id: a uuid without dashes", "DELETE", `/api/firecrawl/scrape/${JOB.replaceAll("-", "")}/interact`, 404],
  ["dot-dot after a job", "POST", `${SCRAPE}/../../../../v1/crawl`, 404],
  ["dot-dot landing on another API path", "POST", `${SCRAPE}/../../../crawl`, 404],
  // (`scrape/%2e%2e/interact` is parsed to `/interact` before a Fetch handler sees it: the Node table covers it raw.)
  ["encoded dot as the job id", "POST", "/api/firecrawl/scrape/%2e/interact", 404],
  ["encoded slash in the job id", "POST", `/api/firecrawl/scrape/${JOB}%2Finteract`, 404],
  ["encoded dash in the job id", "DELETE", `/api/firecrawl/scrape/${JOB.replace("-", "%2D")}/interact`, 404],
  ["encoded question mark in the job id", "POST", `/api/firecrawl/scrape/${JOB}%3F/interact`, 404],
  ["encoded backslash after the job id", "DELETE", `/api/firecrawl/scrape/${JOB}%5C..%5Cinteract`, 404],
  ["double slash before the job id", "POST", `/api/firecrawl/scrape//${JOB}/interact`, 404],
  ["double slash before scrape interact", "POST", `/api/firecrawl/scrape/${JOB}//interact`, 404],
  ["trailing slash on scrape interact", "DELETE", `${SCRAPE}/`, 404],
  ["a segment after scrape interact", "POST", `${SCRAPE}/execute`, 404],
  ["query on scrape interact", "POST", `${SCRAPE}?timeout=300`, 404],
  ["query on scrape stop", "DELETE", `${SCRAPE}?url=https://evil.example/`, 404],
  ["the scrape job with an id that is not a uuid", "GET", "/api/firecrawl/scrape/job1", 404],
  ["trailing slash on scrape", "POST", "/api/firecrawl/scrape/", 404],
  ["query on scrape", "POST", "/api/firecrawl/scrape?url=https://evil.example/", 404],
  ["a segment after the scrape job", "GET", `/api/firecrawl/scrape/${JOB}/errors`, 404],
  ["scrape interact on the /browser alias", "POST", `/api/firecrawl/browser/${JOB}/interact`, 404],
  ["upper-case scrape path", "POST", `/api/firecrawl/SCRAPE/${JOB}/interact`, 404],
  ["another API version", "GET", "/api/firecrawl/v1/interact", 404],
  ["upper-case path", "GET", "/api/firecrawl/INTERACT", 404],
  ["sibling of basePath", "GET", "/api/firecrawlx/interact", 404],
  ["basePath itself", "GET", "/api/firecrawl", 404],
  ["outside basePath", "GET", "/v2/interact", 404],
  ["another host, outside basePath", "GET", "http://evil.example/v1/crawl", 404],
  ["PUT on the collection", "PUT", "/api/firecrawl/interact", 405, "GET, POST"],
  ["PATCH on the collection", "PATCH", "/api/firecrawl/interact", 405, "GET, POST"],
  ["OPTIONS preflight", "OPTIONS", "/api/firecrawl/interact", 405, "GET, POST"],
  ["HEAD on the collection", "HEAD", "/api/firecrawl/interact", 405, "GET, POST"],
  ["PUT on a session", "PUT", `/api/firecrawl/interact/${ID}`, 405, "GET, DELETE"],
  ["POST on a session", "POST", `/api/firecrawl/interact/${ID}`, 405, "GET, DELETE"],
  ["GET on execute", "GET", `/api/firecrawl/interact/${ID}/execute`, 405, "POST"],
  ["DELETE on the alias collection", "DELETE", "/api/firecrawl/browser", 405, "GET, POST"],
  ["GET on scrape interact", "GET", SCRAPE, 405, "POST, DELETE"],
  ["PUT on scrape interact", "PUT", SCRAPE, 405, "POST, DELETE"],
  ["OPTIONS preflight on scrape interact", "OPTIONS", SCRAPE, 405, "POST, DELETE"],
  ["GET on scrape", "GET", "/api/firecrawl/scrape", 405, "POST"],
  ["POST on the scrape job", "POST", `/api/firecrawl/scrape/${JOB}`, 405, "GET"],
];

describe("not an open proxy: the Fetch handler", () => {
  it.each(FETCH_TABLE)("%s: %s %s → %i, no upstream call", async (_name, method, url, status, allow) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      limits: { allowExecute: true, allowScrapeInteract: true },
    });
    const response = await handler(proxyRequest(url, { method, headers: { "content-type": "application/json" } }));
    expect(response.status).toBe(status);
    expect(response.headers.get("allow")).toBe(allow ?? null);
    if (method !== "HEAD") {
      expect(((await response.json()) as { code: string }).code).toBe(
        status === 404 ? "not_found" : "method_not_allowed",
      );
    }
    expect(upstream.calls).toHaveLength(0);
  });
});

// Raw request targets as they arrive on the socket, before any URL parser could normalise them.
const RAW_TABLE: readonly [name: string, requestLine: string, status: number][] = [
  ["dot segment that would normalise onto an operation", "GET /api/firecrawl/x/../interact", 404],
  ["encoded dot segment that would normalise onto an operation", "GET /api/firecrawl/x/%2e%2e/interact", 404],
  ["mixed-case encoded dots", "GET /api/firecrawl/x/%2E./interact", 404],
  ["single dot segment", "GET /api/firecrawl/./interact", 404],
  ["trailing dot segment", "DELETE /api/firecrawl/interact/sess_1/.", 404],
  ["backslash", "GET /api/firecrawl\\interact", 404],
  ["absolute-form request target to another host", "GET http://evil.example/api/firecrawl/interact", 404],
  ["absolute-form request target to this host", "GET http://127.0.0.1/api/firecrawl/interact", 404],
  ["leading double slash", "GET //api/firecrawl/interact", 404],
  ["TRACE on an operation", "TRACE /api/firecrawl/interact", 405],
  ["dot segment that would normalise onto scrape interact", `DELETE /api/firecrawl/x/..${SCRAPE.slice(14)}`, 404],
  [
    "encoded dot segment that would normalise onto scrape interact",
    `DELETE /api/firecrawl/x/%2e%2e${SCRAPE.slice(14)}`,
    404,
  ],
  [
    "encoded dot-dot as the job id, which would normalise onto create",
    "POST /api/firecrawl/scrape/%2e%2e/interact",
    404,
  ],
  ["encoded dash in the job id", `DELETE /api/firecrawl/scrape/${JOB.replace("-", "%2d")}/interact`, 404],
  ["backslash before scrape interact", `DELETE /api/firecrawl/scrape/${JOB}\\interact`, 404],
  ["absolute-form request target onto scrape interact", `DELETE http://evil.example${SCRAPE}`, 404],
  ["TRACE on scrape interact", `TRACE ${SCRAPE}`, 405],
  ["asterisk-form", "OPTIONS *", 404],
];

describe("not an open proxy: the Node adapter", () => {
  const upstream = fakeUpstream();
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      limits: { allowExecute: true, allowScrapeInteract: true },
    });
    server = createServer(toNodeHandler(handler, { basePath: "/api/firecrawl" }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const rawRequest = (requestLine: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString("latin1");
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.write(`${requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });

  it.each(RAW_TABLE)("%s (%s) → %i, no upstream call", async (_name, requestLine, status) => {
    const answer = await rawRequest(requestLine);
    expect(answer.split("\r\n")[0]).toBe(`HTTP/1.1 ${status} ${status === 404 ? "Not Found" : "Method Not Allowed"}`);
    expect(upstream.calls).toHaveLength(0);
  });

  it("still forwards a clean request through the same server", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      httpRequest({ port, host: "127.0.0.1", path: "/api/firecrawl/interact?status=active" }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(200);
    expect(upstream.calls.map((call) => call.url)).toEqual(["https://api.firecrawl.dev/v2/interact?status=active"]);
  });

  it("forwards a clean scrape stop through the same server, and nothing else reached upstream", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      httpRequest({ port, host: "127.0.0.1", path: SCRAPE, method: "DELETE" }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(200);
    expect(upstream.calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      "GET https://api.firecrawl.dev/v2/interact?status=active",
      `DELETE https://api.firecrawl.dev/v2/scrape/${JOB}/interact`,
    ]);
  });
});
