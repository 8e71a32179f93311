import { describe, expect, test } from "vitest";
import { peekFrame, reframe } from "./cdp-frame.js";

const SESSION = "0123456789ABCDEF0123456789ABCDEF";

describe("peekFrame: a message's id, method and sessionId where Chromium writes them", () => {
  test.each([
    { text: '{"id":12,"result":{}}', frame: { id: 12, idEnd: 8, sessionStart: 20 } },
    {
      text: `{"id":7,"result":{"data":"x"},"sessionId":"${SESSION}"}`,
      frame: { id: 7, idEnd: 7, sessionId: SESSION, sessionStart: 29 },
    },
    {
      text: `{"id":3,"error":{"code":-32000,"message":"No"},"sessionId":"${SESSION}"}`,
      frame: { id: 3, idEnd: 7, sessionId: SESSION, sessionStart: 46 },
    },
    {
      text: '{"method":"Target.targetCreated","params":{"targetInfo":{}}}',
      frame: { method: "Target.targetCreated", idEnd: 0, sessionStart: 59 },
    },
    {
      text: `{"method":"Page.loadEventFired","params":{"timestamp":1},"sessionId":"${SESSION}"}`,
      frame: { method: "Page.loadEventFired", idEnd: 0, sessionId: SESSION, sessionStart: 56 },
    },
    // A sessionId inside the result is not the message's.
    { text: `{"id":2,"result":{"sessionId":"${SESSION}"}}`, frame: { id: 2, idEnd: 7, sessionStart: 65 } },
  ])("$text", ({ text, frame }) => {
    expect(peekFrame(text)).toEqual(frame);
  });

  test.each([
    '{"result":{},"id":1}',
    '{"id":1,"method":"Browser.getVersion","params":{}}',
    '{ "id": 1, "result": {} }',
    '{"params":{},"method":"Page.frameNavigated"}',
    '{"error":{"code":-32700,"message":"Message must be a valid JSON"}}',
    "",
  ])("%s is laid out otherwise: undefined (the caller parses it)", (text) => {
    expect(peekFrame(text)).toBeUndefined();
  });
});

describe("reframe: the text a client gets, without parsing the message", () => {
  const big = "A".repeat(1_000_000);
  test.each([
    {
      case: "an answer of the client's browser session: its id, no sessionId",
      text: `{"id":1041,"result":{"data":"${big}"},"sessionId":"${SESSION}"}`,
      change: { id: 5, dropSession: true },
      expected: { id: 5, result: { data: big } },
    },
    {
      case: "an answer of one of its page sessions: its id, the sessionId kept",
      text: `{"id":1041,"result":{"value":42},"sessionId":"${SESSION}"}`,
      change: { id: 99, dropSession: false },
      expected: { id: 99, result: { value: 42 }, sessionId: SESSION },
    },
    {
      case: "an answer without a sessionId",
      text: '{"id":8,"error":{"code":-32601,"message":"nope"}}',
      change: { id: 1, dropSession: true },
      expected: { id: 1, error: { code: -32601, message: "nope" } },
    },
    {
      case: "an event of the browser session",
      text: `{"method":"Target.targetCreated","params":{"targetInfo":{"type":"page"}},"sessionId":"${SESSION}"}`,
      change: { dropSession: true },
      expected: { method: "Target.targetCreated", params: { targetInfo: { type: "page" } } },
    },
    {
      case: "an event of a page session",
      text: `{"method":"Page.loadEventFired","params":{"timestamp":1.5},"sessionId":"${SESSION}"}`,
      change: { dropSession: false },
      expected: { method: "Page.loadEventFired", params: { timestamp: 1.5 }, sessionId: SESSION },
    },
  ])("$case", ({ text, change, expected }) => {
    const frame = peekFrame(text);
    if (!frame) throw new Error("not framed");
    const out = reframe(text, frame, change);
    expect(JSON.parse(out)).toEqual(expected);
    // Byte for byte what parsing and writing again would give.
    expect(out).toBe(JSON.stringify(expected));
  });
});
