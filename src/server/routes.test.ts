import { describe, expect, it } from "vitest";
import { operations } from "../../generated/constraints.js";
import { matchRoute, normalizeBasePath } from "./routes.js";

const SESSION = "sess_9";
const JOB = "123e4567-e89b-42d3-a456-426614174000";
const concrete = (path: string) => path.replace("{sessionId}", SESSION).replace("{jobId}", JOB);
const all = Object.values(operations);

/** The path parameters a concrete path of the template carries. */
const paramsOf = (path: string): Record<string, string> => ({
  ...(path.includes("{sessionId}") ? { sessionId: SESSION } : {}),
  ...(path.includes("{jobId}") ? { jobId: JOB } : {}),
});

describe("routes come from the spec's operations", () => {
  it.each(all.map((operation) => [operation.operationId, operation.method, operation.path] as const))(
    "%s (%s %s) is matched to itself",
    (operationId, method, path) => {
      const match = matchRoute(`/api/firecrawl${concrete(path)}`, "/api/firecrawl", method);
      expect(match.kind === "operation" ? [match.operation.operationId, match.params] : match).toEqual([
        operationId,
        paramsOf(path),
      ]);
    },
  );

  it("covers the scrape-bound operations and the /browser aliases", () => {
    expect(all.map((operation) => operation.operationId).sort()).toEqual(
      [
        "createBrowserSession",
        "createBrowserSessionAlias",
        "deleteBrowserSession",
        "deleteBrowserSessionAlias",
        "executeBrowserCode",
        "executeBrowserCodeAlias",
        "getBrowserSession",
        "getBrowserSessionAlias",
        "interactWithScrapeBrowserSession",
        "listBrowserSessions",
        "listBrowserSessionsAlias",
        "stopInteractiveScrapeBrowserSession",
      ].sort(),
    );
  });

  it("forwards exactly the spec's method and path pairs, nothing else", () => {
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    const paths = [...new Set(all.map((operation) => concrete(operation.path)))];
    const forwarded = paths.flatMap((path) =>
      methods
        .filter((method) => matchRoute(`/p${path}`, "/p", method).kind === "operation")
        .map((method) => `${method} ${path}`),
    );
    expect(forwarded.sort()).toEqual(all.map((operation) => `${operation.method} ${concrete(operation.path)}`).sort());
  });

  it("serves the API at the root when basePath is empty", () => {
    expect(matchRoute("/interact", normalizeBasePath("/"), "GET").kind).toBe("operation");
    expect(matchRoute(`/scrape/${JOB}/interact`, normalizeBasePath("/"), "DELETE").kind).toBe("operation");
  });

  it.each([
    ["not a uuid", "job1"],
    ["a uuid without dashes", JOB.replaceAll("-", "")],
    ["a uuid with a trailing character", `${JOB}0`],
    ["a uuid with a non-hex digit", `${JOB.slice(0, -1)}g`],
    ["a uuid in braces", `{${JOB}}`],
    ["an encoded uuid", encodeURIComponent(`${JOB}/`)],
    ["a session id", SESSION],
  ])("a jobId that is %s is no route, for either method", (_name, jobId) => {
    for (const method of ["POST", "DELETE", "GET"]) {
      expect(matchRoute(`/api/firecrawl/scrape/${jobId}/interact`, "/api/firecrawl", method)).toEqual({
        kind: "none",
      });
    }
  });

  it("accepts a jobId in upper case (uuids are case-insensitive) and keeps it raw", () => {
    const match = matchRoute(`/p/scrape/${JOB.toUpperCase()}/interact`, "/p", "POST");
    expect(match.kind === "operation" && [match.operation.operationId, match.params]).toEqual([
      "interactWithScrapeBrowserSession",
      { jobId: JOB.toUpperCase() },
    ]);
  });

  it("answers another method on a valid scrape path with the methods it allows", () => {
    expect(matchRoute(`/p/scrape/${JOB}/interact`, "/p", "PUT")).toEqual({
      kind: "wrong-method",
      allow: ["POST", "DELETE"],
    });
  });

  it("validates each parameter against its own operation: a uuid is a session id, a session id is no job", () => {
    const session = matchRoute(`/p/interact/${JOB}`, "/p", "DELETE");
    expect(session.kind === "operation" && [session.operation.operationId, session.params]).toEqual([
      "deleteBrowserSession",
      { sessionId: JOB },
    ]);
    expect(matchRoute(`/p/scrape/${SESSION}/interact`, "/p", "POST")).toEqual({ kind: "none" });
  });

  it.each([
    ["api/firecrawl", "/api/firecrawl"],
    ["/api/firecrawl/", "/api/firecrawl"],
    ["//x//", "/x"],
    ["/", ""],
  ])("normalises basePath %j to %j", (input, expected) => {
    expect(normalizeBasePath(input)).toBe(expected);
  });
});
