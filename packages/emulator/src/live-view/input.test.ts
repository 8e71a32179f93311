import type { LiveViewKeyInput } from "firecrawl-interact/core";
import { describe, expect, test } from "vitest";
import { boxToPage, fitFrame, toCdpInput } from "./input.js";

describe("live-view input to CDP", () => {
  test("a press maps to Input.dispatchMouseEvent with every field", () => {
    const input = {
      type: "mouse",
      action: "mousePressed",
      x: 10.5,
      y: 20,
      button: "left",
      buttons: 1,
      clickCount: 2,
      modifiers: 8,
    } as const;
    expect(toCdpInput(input)).toEqual({
      method: "Input.dispatchMouseEvent",
      params: { type: "mousePressed", x: 10.5, y: 20, button: "left", buttons: 1, clickCount: 2, modifiers: 8 },
    });
  });

  test("a wheel maps to a mouseWheel event", () => {
    expect(toCdpInput({ type: "wheel", x: 5, y: 6, deltaX: 0, deltaY: -120, modifiers: 2 })).toEqual({
      method: "Input.dispatchMouseEvent",
      params: { type: "mouseWheel", x: 5, y: 6, deltaX: 0, deltaY: -120, modifiers: 2 },
    });
  });

  test("keys that type text are keyDown with text, others rawKeyDown, releases keyUp without text", () => {
    const key = (input: Omit<LiveViewKeyInput, "type" | "modifiers">) =>
      toCdpInput({ type: "key", modifiers: 0, ...input });
    expect(key({ action: "keyDown", key: "a", code: "KeyA", keyCode: 65, text: "a" })).toEqual({
      method: "Input.dispatchKeyEvent",
      params: {
        type: "keyDown",
        key: "a",
        code: "KeyA",
        windowsVirtualKeyCode: 65,
        nativeVirtualKeyCode: 65,
        modifiers: 0,
        text: "a",
        unmodifiedText: "a",
      },
    });
    expect(key({ action: "keyDown", key: "Backspace", code: "Backspace", keyCode: 8, text: "" })).toEqual({
      method: "Input.dispatchKeyEvent",
      params: {
        type: "rawKeyDown",
        key: "Backspace",
        code: "Backspace",
        windowsVirtualKeyCode: 8,
        nativeVirtualKeyCode: 8,
        modifiers: 0,
      },
    });
    expect(key({ action: "keyUp", key: "a", code: "KeyA", keyCode: 65, text: "a" })).toEqual({
      method: "Input.dispatchKeyEvent",
      params: {
        type: "keyUp",
        key: "a",
        code: "KeyA",
        windowsVirtualKeyCode: 65,
        nativeVirtualKeyCode: 65,
        modifiers: 0,
      },
    });
  });

  test("a paste is Input.insertText", () => {
    expect(toCdpInput({ type: "text", text: "hello" })).toEqual({
      method: "Input.insertText",
      params: { text: "hello" },
    });
  });
});

describe("pointer mapping through letterboxing", () => {
  const PAGE = { width: 1280, height: 720 };

  test("a 16:9 frame in a 4:3 box: scale 0.5, 60 px bars above and below", () => {
    expect(fitFrame(640, 480, PAGE)).toEqual({ scale: 0.5, left: 0, top: 60 });
    expect(boxToPage(160, 150, 640, 480, PAGE)).toEqual({ x: 320, y: 180 });
    expect(boxToPage(0, 60, 640, 480, PAGE)).toEqual({ x: 0, y: 0 });
    expect(boxToPage(640, 420, 640, 480, PAGE)).toEqual({ x: 1280, y: 720 });
    expect(boxToPage(639.5, 419.5, 640, 480, PAGE)).toEqual({ x: 1279, y: 719 });
  });

  test("points on the bars map to nothing", () => {
    expect(boxToPage(160, 20, 640, 480, PAGE)).toBeNull();
    expect(boxToPage(160, 59.9, 640, 480, PAGE)).toBeNull();
    expect(boxToPage(160, 420.1, 640, 480, PAGE)).toBeNull();
    expect(boxToPage(-0.1, 200, 640, 480, PAGE)).toBeNull();
  });

  test("a 16:9 frame in a wide box: bars left and right", () => {
    // 1000×360: scale 0.5 (height-bound), the frame 640 wide, 180 px bars on each side.
    expect(fitFrame(1000, 360, PAGE)).toEqual({ scale: 0.5, left: 180, top: 0 });
    expect(boxToPage(180 + 320, 180, 1000, 360, PAGE)).toEqual({ x: 640, y: 360 });
    expect(boxToPage(100, 180, 1000, 360, PAGE)).toBeNull();
    expect(boxToPage(900, 180, 1000, 360, PAGE)).toBeNull();
  });

  test("the mapping is the inverse of where the frame is drawn, at any box size, up to float rounding", () => {
    for (const [w, h] of [
      [640, 360],
      [320, 180],
      [333, 611],
      [1917, 1001],
      [1280, 720],
    ] as const) {
      const fit = fitFrame(w, h, PAGE);
      for (const [px, py] of [
        [0, 0],
        [1, 1],
        [640, 360],
        [1279, 719],
        [1280, 720],
        [17.25, 703.5],
      ] as const) {
        const mapped = boxToPage(fit.left + px * fit.scale, fit.top + py * fit.scale, w, h, PAGE);
        expect(mapped?.x).toBeCloseTo(px, 9);
        expect(mapped?.y).toBeCloseTo(py, 9);
      }
    }
  });

  test("only the frame header's page size counts: a 640×360 and a 1280×720 stream of one page map alike", () => {
    // The JPEG size is no input at all; both streams carry deviceWidth × deviceHeight = 1280 × 720 in the header.
    const fromSmallStream = { width: 1280, height: 720 };
    const fromFullStream = { width: 1280, height: 720 };
    expect(boxToPage(123, 201, 640, 480, fromSmallStream)).toEqual(boxToPage(123, 201, 640, 480, fromFullStream));
    // A page of another size maps by its own size.
    expect(boxToPage(160, 150, 640, 480, { width: 800, height: 600 })).toEqual({ x: 200, y: 187.5 });
  });

  test("a top offset (offsetTop) shifts the page down inside the frame", () => {
    // A 1280×776 device screen whose page starts 56 CSS px down: box 640×388 is scale 0.5, no bars.
    const frame = { width: 1280, height: 776, offsetTop: 56 };
    expect(boxToPage(0, 28, 640, 388, frame)).toEqual({ x: 0, y: 0 });
    expect(boxToPage(320, 28 + 180, 640, 388, frame)).toEqual({ x: 640, y: 360 });
    expect(boxToPage(320, 10, 640, 388, frame)).toBeNull();
  });

  test("before any frame nothing maps", () => {
    expect(boxToPage(10, 10, 640, 480, { width: 0, height: 0 })).toBeNull();
  });
});
