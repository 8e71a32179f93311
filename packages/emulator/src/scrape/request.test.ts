import { InteractValidationError } from "firecrawl-interact/core";
import { describe, expect, test } from "vitest";
import { parseScrapeRequest } from "./request.js";

/** `depth` arrays, each the only item of the one around it. */
function nestedArray(depth: number): unknown[] {
  const outer: unknown[] = [];
  let inner = outer;
  for (let level = 1; level < depth; level++) {
    const next: unknown[] = [];
    inner.push(next);
    inner = next;
  }
  return outer;
}

/** `depth` objects `{ a: … }`, each inside the one around it. */
function nestedObject(depth: number): Record<string, unknown> {
  const outer: Record<string, unknown> = {};
  let inner = outer;
  for (let level = 1; level < depth; level++) {
    const next: Record<string, unknown> = {};
    inner.a = next;
    inner = next;
  }
  return outer;
}

/** The validation error a body gets, as field, rule, limit and message. */
function refusal(body: unknown) {
  try {
    parseScrapeRequest(body);
  } catch (error) {
    if (error instanceof InteractValidationError) {
      return { field: error.field, rule: error.rule, limit: error.limit, message: error.message };
    }
    throw error;
  }
  throw new Error("the body was accepted");
}

describe("parseScrapeRequest never walks a value it reports", () => {
  test("a 100k-deep array as a format is a type error naming it, not a stack overflow", () => {
    expect(refusal({ url: "http://x.test", formats: [nestedArray(100_000)] })).toEqual({
      field: "formats[0]",
      rule: "type",
      limit: "string",
      message: "formats[0] must be a string (got an array)",
    });
  });

  test("a 100k-deep object as a format's type is a type error naming it", () => {
    expect(refusal({ url: "http://x.test", formats: [{ type: nestedObject(100_000) }] })).toEqual({
      field: "formats[0].type",
      rule: "type",
      limit: "string",
      message: "formats[0].type must be a string (got an object)",
    });
  });

  test("primitives are still shown as JSON", () => {
    expect(refusal({ url: "http://x.test", formats: [1] }).message).toBe("formats[0] must be a string (got 1)");
    expect(refusal({ url: "http://x.test", formats: [null] }).message).toBe("formats[0] must be a string (got null)");
  });
});
