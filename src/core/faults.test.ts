import { describe, expect, it } from "vitest";
import { FaultQueue, faultSpecProblem } from "./faults.js";

const IDS = ["createBrowserSession", "listBrowserSessions"];

describe("faultSpecProblem", () => {
  it.each([
    [null, "body", "the fault must be an object"],
    [[], "body", "the fault must be an object"],
    [
      { operationId: "nope", status: 500 },
      "operationId",
      "operationId must be one of createBrowserSession, listBrowserSessions",
    ],
    [{ operationId: "createBrowserSession", status: 399 }, "status", "status must be an integer from 400 to 599"],
    [
      { operationId: "createBrowserSession", status: 500, count: 0 },
      "count",
      "count must be an integer from 1 to 1000",
    ],
    [{ operationId: "createBrowserSession", delayMs: 1.5 }, "delayMs", "delayMs must be an integer from 0 to 120000"],
    [
      { operationId: "createBrowserSession", status: 500, retryAfter: "9" },
      "retryAfter",
      "retryAfter must be an integer from 0 to 86400",
    ],
    [{ operationId: "createBrowserSession", drop: "yes" }, "drop", "drop must be a boolean"],
    [{ operationId: "createBrowserSession", status: 500, code: 1 }, "code", "code must be a string"],
    [{ operationId: "createBrowserSession" }, "status", "a fault needs a status, a delayMs or drop: true"],
  ])("%j → %s: %s", (spec, field, message) => {
    expect(faultSpecProblem(spec, IDS)).toStrictEqual({ field, message });
  });

  it("accepts a fault with a status, a delay or a drop", () => {
    for (const spec of [{ status: 429 }, { delayMs: 10 }, { drop: true }]) {
      expect(faultSpecProblem({ operationId: "listBrowserSessions", ...spec }, IDS)).toBeNull();
    }
  });
});

describe("FaultQueue", () => {
  it("plays faults in order, count by count, on an operation or its alias, with the default code and Retry-After", () => {
    const queue = new FaultQueue();
    queue.add({ operationId: "createBrowserSession", status: 429, retryAfter: 7, count: 2 });
    queue.add({ operationId: "createBrowserSession", drop: true, delayMs: 5 });
    expect(queue.pending().map(({ operationId, count }) => [operationId, count])).toEqual([
      ["createBrowserSession", 2],
      ["createBrowserSession", 1],
    ]);
    const fail = {
      kind: "fail",
      delayMs: 0,
      answer: {
        status: 429,
        body: { success: false, error: "Injected fault: 429 for createBrowserSessionAlias", code: "rate_limited" },
        headers: { "Retry-After": "7" },
      },
    };
    expect(queue.take("createBrowserSessionAlias", "createBrowserSession")).toStrictEqual(fail);
    expect(queue.take("listBrowserSessions", "listBrowserSessions")).toBeUndefined();
    expect(queue.take("createBrowserSessionAlias", "createBrowserSession")).toStrictEqual(fail);
    expect(queue.take("createBrowserSession", "createBrowserSession")).toStrictEqual({ kind: "drop", delayMs: 5 });
    expect(queue.take("createBrowserSession", "createBrowserSession")).toBeUndefined();
    expect(queue.pending()).toEqual([]);
  });

  it("answers a delay alone with the call itself, and a status it has no default code for with injected_fault", () => {
    const queue = new FaultQueue();
    queue.add({ operationId: "listBrowserSessions", delayMs: 20 });
    queue.add({ operationId: "listBrowserSessions", status: 418, error: "teapot" });
    expect(queue.take("listBrowserSessions", "listBrowserSessions")).toStrictEqual({ kind: "delay", delayMs: 20 });
    const answer = queue.take("listBrowserSessions", "listBrowserSessions");
    expect(answer?.kind === "fail" && answer.answer.body).toStrictEqual({
      success: false,
      error: "teapot",
      code: "injected_fault",
    });
  });
});
