import { describe, expect, it } from "vitest";
import { operations } from "../../generated/constraints.js";
import { matchRoute, normalizeBasePath } from "./routes.js";

const concrete = (path: string) => path.replace("{sessionId}", "sess_9");

describe("routes come from the spec's operations", () => {
  it.each(operations.map((operation) => [operation.operationId, operation.method, operation.path] as const))(
    "%s (%s %s) is matched to itself",
    (operationId, method, path) => {
      const match = matchRoute(`/api/firecrawl${concrete(path)}`, "/api/firecrawl", method);
      expect(match.kind === "operation" ? [match.operation.operationId, match.sessionId] : match).toEqual([
        operationId,
        path.includes("{sessionId}") ? "sess_9" : undefined,
      ]);
    },
  );

  it("forwards exactly the spec's method and path pairs, nothing else", () => {
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    const paths = [...new Set(operations.map((operation) => concrete(operation.path)))];
    const forwarded = paths.flatMap((path) =>
      methods
        .filter((method) => matchRoute(`/p${path}`, "/p", method).kind === "operation")
        .map((method) => `${method} ${path}`),
    );
    expect(forwarded.sort()).toEqual(
      operations.map((operation) => `${operation.method} ${concrete(operation.path)}`).sort(),
    );
  });

  it("serves the API at the root when basePath is empty", () => {
    expect(matchRoute("/interact", normalizeBasePath("/"), "GET").kind).toBe("operation");
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
