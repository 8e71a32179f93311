import { describe, expect, test } from "vitest";
import {
  decodeLiveViewFrame,
  encodeLiveViewFrame,
  isLiveViewControlMessage,
  LIVE_VIEW_DPR,
  type LiveViewFrameHeader,
  MAX_LIVE_VIEW_SIZE,
  MAX_LIVE_VIEW_TEXT,
  parseLiveViewInput,
  parseLiveViewMessage,
  parseLiveViewServerMessage,
  parseLiveViewViewerMessage,
  parseLiveViewViewportParams,
} from "./live-view-protocol.js";

const HEADER: LiveViewFrameHeader = { width: 1280, height: 720, seq: 7, targetId: "T1" };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);

/** A frame message with an arbitrary header text, for the malformed cases. */
const rawFrame = (headerText: string, jpeg = JPEG): Uint8Array => {
  const json = new TextEncoder().encode(headerText);
  const frame = new Uint8Array(4 + json.length + jpeg.length);
  new DataView(frame.buffer).setUint32(0, json.length);
  frame.set(json, 4);
  frame.set(jpeg, 4 + json.length);
  return frame;
};

describe("live-view frames", () => {
  test("encode as [uint32 BE header length][header JSON][JPEG bytes]", () => {
    const frame = encodeLiveViewFrame(HEADER, JPEG);
    const json = JSON.stringify(HEADER);
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, 0, json.length]);
    expect(new TextDecoder().decode(frame.subarray(4, 4 + json.length))).toBe(json);
    expect([...frame.subarray(4 + json.length)]).toEqual([...JPEG]);
    expect(frame.length).toBe(4 + json.length + JPEG.length);
  });

  test("decode what encode packed, from an ArrayBuffer, a Uint8Array view at an offset and a Buffer", () => {
    const frame = encodeLiveViewFrame(HEADER, JPEG);
    expect(decodeLiveViewFrame(frame.slice().buffer)).toEqual({ header: HEADER, jpeg: JPEG });

    const padded = new Uint8Array(frame.length + 5);
    padded.set(frame, 3);
    const view = padded.subarray(3, 3 + frame.length);
    expect(decodeLiveViewFrame(view)).toEqual({ header: HEADER, jpeg: JPEG });

    const decoded = decodeLiveViewFrame(Buffer.from(frame));
    expect(Buffer.isBuffer(decoded.jpeg)).toBe(true);
    expect(decoded.jpeg.equals(Buffer.from(JPEG))).toBe(true);
    expect(decoded.header).toEqual(HEADER);
  });

  test("a header length over 255 is read as a 32-bit big-endian number", () => {
    const header = { ...HEADER, targetId: "T".repeat(300) };
    const frame = encodeLiveViewFrame(header, JPEG);
    const length = JSON.stringify(header).length;
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, length >> 8, length & 0xff]);
    expect(decodeLiveViewFrame(frame)).toEqual({ header, jpeg: JPEG });
  });

  test("a header carries the screencast's offsetTop when it is not 0, and drops one that is 0 or not a number", () => {
    const header = { ...HEADER, offsetTop: 56 };
    expect(decodeLiveViewFrame(encodeLiveViewFrame(header, JPEG)).header).toEqual(header);
    expect(decodeLiveViewFrame(rawFrame(JSON.stringify({ ...HEADER, offsetTop: 0 }))).header).toStrictEqual(HEADER);
    expect(decodeLiveViewFrame(rawFrame(JSON.stringify({ ...HEADER, offsetTop: "56" }))).header).toStrictEqual(HEADER);
  });

  test("a frame with no image decodes to an empty JPEG", () => {
    expect(decodeLiveViewFrame(encodeLiveViewFrame(HEADER, new Uint8Array(0)))).toEqual({
      header: HEADER,
      jpeg: new Uint8Array(0),
    });
  });

  test.each([
    ["shorter than the length prefix", new Uint8Array([0, 0, 1]), "Live-view frame shorter than its length prefix"],
    ["shorter than its header length", rawFrame(JSON.stringify(HEADER)).subarray(0, 20), "shorter than its header"],
    ["a header that is not JSON", rawFrame("{width"), "Live-view frame header is not JSON"],
    ["a header without targetId", rawFrame(JSON.stringify({ width: 1, height: 1, seq: 1 })), "lacks width"],
    ["a header with a string width", rawFrame(JSON.stringify({ ...HEADER, width: "1" })), "lacks width"],
    ["a header that is null", rawFrame("null"), "lacks width"],
  ])("decoding rejects a frame %s with a RangeError", (_label, data, message) => {
    expect(() => decodeLiveViewFrame(data)).toThrow(RangeError);
    expect(() => decodeLiveViewFrame(data)).toThrow(message);
  });
});

describe("live-view server messages", () => {
  test.each([
    [{ type: "ready", interactive: true }],
    [{ type: "ready", interactive: false }],
    [{ type: "ended", reason: "expired" }],
    [{ type: "tab", targetId: "T2" }],
  ])("parses %j", (message) => {
    expect(parseLiveViewServerMessage(JSON.stringify(message))).toEqual(message);
  });

  test("keeps only the known fields", () => {
    expect(parseLiveViewServerMessage(JSON.stringify({ type: "ended", reason: "deleted", extra: 1 }))).toEqual({
      type: "ended",
      reason: "deleted",
    });
  });

  test.each([
    ["not JSON", "{type"],
    ["a JSON array", "[]"],
    ["null", "null"],
    ["an unknown type", JSON.stringify({ type: "frame" })],
    ["ready without interactive", JSON.stringify({ type: "ready" })],
    ["ready with a string interactive", JSON.stringify({ type: "ready", interactive: "true" })],
    ["ended without a reason", JSON.stringify({ type: "ended" })],
    ["tab with a numeric targetId", JSON.stringify({ type: "tab", targetId: 2 })],
  ])("ignores %s", (_label, text) => {
    expect(parseLiveViewServerMessage(text)).toBeUndefined();
  });
});

describe("live-view input", () => {
  test.each([
    ["not JSON", "{x"],
    ["a JSON string", '"click"'],
    ["null", "null"],
    ["an unknown type", JSON.stringify({ type: "touch", x: 1, y: 1 })],
    ["a mouse event without coordinates", JSON.stringify({ type: "mouse", action: "mousePressed" })],
    ["an unknown mouse action", JSON.stringify({ type: "mouse", action: "mouseDragged", x: 1, y: 1 })],
    ["an unknown button", JSON.stringify({ type: "mouse", action: "mousePressed", x: 1, y: 1, button: "thumb" })],
    ["a NaN coordinate", '{"type":"wheel","x":1,"y":"NaN"}'],
    ["a huge coordinate", JSON.stringify({ type: "mouse", action: "mouseMoved", x: 1e9, y: 1 })],
    ["a key without key", JSON.stringify({ type: "key", action: "keyDown" })],
    ["a key with an unknown action", JSON.stringify({ type: "key", action: "keyPress", key: "a" })],
    ["a key name over 40 characters", JSON.stringify({ type: "key", action: "keyDown", key: "k".repeat(41) })],
    ["an empty paste", JSON.stringify({ type: "text", text: "" })],
    ["a paste over the text limit", JSON.stringify({ type: "text", text: "a".repeat(MAX_LIVE_VIEW_TEXT + 1) })],
    [
      "a message over twice the text limit",
      JSON.stringify({ type: "key", action: "keyDown", key: "a", pad: "x".repeat(MAX_LIVE_VIEW_TEXT * 2) }),
    ],
  ])("ignores %s", (_label, message) => {
    expect(parseLiveViewInput(message)).toBeUndefined();
  });

  test("a press keeps its fields and bounds clickCount and modifiers", () => {
    const message = {
      type: "mouse",
      action: "mousePressed",
      x: 10.5,
      y: 20,
      button: "left",
      buttons: 1,
      clickCount: 9,
      modifiers: 99,
    };
    expect(parseLiveViewInput(JSON.stringify(message))).toEqual({
      type: "mouse",
      action: "mousePressed",
      x: 10.5,
      y: 20,
      button: "left",
      buttons: 1,
      clickCount: 1,
      modifiers: 0,
    });
  });

  test("a move defaults to button none and clickCount 0, a press to clickCount 1; fractions truncate", () => {
    expect(parseLiveViewInput(JSON.stringify({ type: "mouse", action: "mouseMoved", x: 0, y: -3 }))).toEqual({
      type: "mouse",
      action: "mouseMoved",
      x: 0,
      y: -3,
      button: "none",
      buttons: 0,
      clickCount: 0,
      modifiers: 0,
    });
    const press = { type: "mouse", action: "mousePressed", x: 1, y: 2, button: 3, buttons: 2.9, modifiers: 8.5 };
    expect(parseLiveViewInput(JSON.stringify(press))).toEqual({
      type: "mouse",
      action: "mousePressed",
      x: 1,
      y: 2,
      button: "none",
      buttons: 2,
      clickCount: 1,
      modifiers: 8,
    });
  });

  test("a wheel without deltas scrolls by 0", () => {
    expect(parseLiveViewInput(JSON.stringify({ type: "wheel", x: 5, y: 6, deltaY: -120, modifiers: 2 }))).toEqual({
      type: "wheel",
      x: 5,
      y: 6,
      deltaX: 0,
      deltaY: -120,
      modifiers: 2,
    });
  });

  test("a key fills missing code, keyCode and text, and drops text over 8 characters", () => {
    expect(parseLiveViewInput(JSON.stringify({ type: "key", action: "keyUp", key: "Shift", modifiers: 8 }))).toEqual({
      type: "key",
      action: "keyUp",
      key: "Shift",
      code: "",
      keyCode: 0,
      text: "",
      modifiers: 8,
    });
    const long = { type: "key", action: "keyDown", key: "a", code: "KeyA", keyCode: 65, text: "abcdefghi" };
    expect(parseLiveViewInput(JSON.stringify(long))).toEqual({
      type: "key",
      action: "keyDown",
      key: "a",
      code: "KeyA",
      keyCode: 65,
      text: "",
      modifiers: 0,
    });
  });

  test("a paste up to the text limit is kept whole", () => {
    const text = "é".repeat(MAX_LIVE_VIEW_TEXT);
    expect(parseLiveViewInput(JSON.stringify({ type: "text", text }))).toEqual({ type: "text", text });
  });
});

describe("live-view viewer control messages", () => {
  const viewport = (fields: Record<string, unknown>) =>
    parseLiveViewViewerMessage(JSON.stringify({ type: "viewport", ...fields }));

  test("a viewport keeps its size and dpr and drops other fields", () => {
    expect(viewport({ width: 640, height: 360, dpr: 1, extra: "x" })).toStrictEqual({
      type: "viewport",
      width: 640,
      height: 360,
      dpr: 1,
    });
    expect(viewport({ width: 1, height: MAX_LIVE_VIEW_SIZE, dpr: 2.625 })).toEqual({
      type: "viewport",
      width: 1,
      height: MAX_LIVE_VIEW_SIZE,
      dpr: 2.625,
    });
  });

  test("the dpr bounds are inclusive: 0.5 and 4", () => {
    expect(LIVE_VIEW_DPR).toEqual({ min: 0.5, max: 4 });
    expect(viewport({ width: 10, height: 10, dpr: 0.5 })).toMatchObject({ dpr: 0.5 });
    expect(viewport({ width: 10, height: 10, dpr: 4 })).toMatchObject({ dpr: 4 });
  });

  test.each([
    ["a zero width", { width: 0, height: 360, dpr: 1 }],
    ["a negative height", { width: 640, height: -360, dpr: 1 }],
    ["a fractional width", { width: 640.5, height: 360, dpr: 1 }],
    ["a width over the maximum", { width: MAX_LIVE_VIEW_SIZE + 1, height: 360, dpr: 1 }],
    ["a string width", { width: "640", height: 360, dpr: 1 }],
    ["a missing height", { width: 640, dpr: 1 }],
    ["a missing dpr", { width: 640, height: 360 }],
    ["a dpr under 0.5", { width: 640, height: 360, dpr: 0.49 }],
    ["a dpr over 4", { width: 640, height: 360, dpr: 4.01 }],
    ["a string dpr", { width: 640, height: 360, dpr: "1" }],
    ["a null dpr", { width: 640, height: 360, dpr: null }],
  ])("ignores a viewport with %s", (_label, fields) => {
    expect(viewport(fields)).toBeUndefined();
  });

  test("a viewport whose width is written as 1e999 in JSON is ignored (it parses to Infinity)", () => {
    expect(parseLiveViewViewerMessage('{"type":"viewport","width":1e999,"height":360,"dpr":1}')).toBeUndefined();
  });

  test("a visibility message needs a boolean", () => {
    expect(parseLiveViewViewerMessage('{"type":"visibility","visible":false,"x":1}')).toStrictEqual({
      type: "visibility",
      visible: false,
    });
    expect(parseLiveViewViewerMessage('{"type":"visibility","visible":true}')).toEqual({
      type: "visibility",
      visible: true,
    });
    for (const visible of ["false", 0, null, undefined]) {
      expect(parseLiveViewViewerMessage(JSON.stringify({ type: "visibility", visible }))).toBeUndefined();
    }
  });

  test("control messages are not input, and input parses the same through either parser", () => {
    const control = ['{"type":"viewport","width":640,"height":360,"dpr":1}', '{"type":"visibility","visible":false}'];
    for (const text of control) {
      const parsed = parseLiveViewViewerMessage(text);
      expect(parsed && isLiveViewControlMessage(parsed)).toBe(true);
      expect(parseLiveViewInput(text)).toBeUndefined();
    }
    const click = JSON.stringify({ type: "mouse", action: "mousePressed", x: 1, y: 2, button: "left" });
    const parsed = parseLiveViewViewerMessage(click);
    expect(parsed).toEqual(parseLiveViewInput(click));
    expect(parsed && isLiveViewControlMessage(parsed)).toBe(false);
  });

  test("a socket URL's w, h and dpr parse as a viewport, bounded the same way; dpr defaults to 1", () => {
    const params = (query: string) => parseLiveViewViewportParams(new URLSearchParams(query));
    expect(params("token=t&w=640&h=360&dpr=1.5")).toEqual({ type: "viewport", width: 640, height: 360, dpr: 1.5 });
    expect(params("w=320&h=180")).toEqual({ type: "viewport", width: 320, height: 180, dpr: 1 });
    for (const query of [
      "",
      "w=640",
      "w=&h=",
      "w=0&h=360",
      "w=640.5&h=360",
      "w=1e999&h=1",
      "w=640&h=360&dpr=9",
      "w=x&h=1",
    ]) {
      expect(params(query)).toBeUndefined();
    }
  });

  test("an oversized control message is ignored without being parsed", () => {
    const text = JSON.stringify({
      type: "viewport",
      width: 1,
      height: 1,
      dpr: 1,
      pad: "x".repeat(MAX_LIVE_VIEW_TEXT * 2),
    });
    expect(parseLiveViewViewerMessage(text)).toBeUndefined();
  });
});

describe("parseLiveViewMessage", () => {
  test.each(["connected", "reconnecting", "disconnected", "ended"])("accepts %s", (type) => {
    expect(parseLiveViewMessage({ source: "firecrawl-interact", type })).toEqual({
      source: "firecrawl-interact",
      type,
      sessionId: undefined,
    });
  });

  test("returns the page's parent message without extra fields", () => {
    const posted = { source: "firecrawl-interact", type: "disconnected", sessionId: "s1", extra: true };
    expect(parseLiveViewMessage(posted)).toEqual({
      source: "firecrawl-interact",
      type: "disconnected",
      sessionId: "s1",
    });
  });
});
