import type { LiveViewKeyInput } from "firecrawl-interact/spec";
import { describe, expect, test } from "vitest";
import { toCdpInput } from "./live-view-input.js";

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
