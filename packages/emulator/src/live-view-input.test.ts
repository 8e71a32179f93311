import { describe, expect, test } from "vitest";
import { parseViewerInput, toCdpInput } from "./live-view-input.js";

describe("live-view input", () => {
  test.each([
    ["not JSON", "{x"],
    ["a JSON string", '"click"'],
    ["an unknown type", JSON.stringify({ type: "touch", x: 1, y: 1 })],
    ["a mouse event without coordinates", JSON.stringify({ type: "mouse", action: "mousePressed" })],
    ["an unknown mouse action", JSON.stringify({ type: "mouse", action: "mouseDragged", x: 1, y: 1 })],
    ["an unknown button", JSON.stringify({ type: "mouse", action: "mousePressed", x: 1, y: 1, button: "thumb" })],
    ["a NaN coordinate", '{"type":"wheel","x":1,"y":"NaN"}'],
    ["a huge coordinate", JSON.stringify({ type: "mouse", action: "mouseMoved", x: 1e9, y: 1 })],
    ["a key without key", JSON.stringify({ type: "key", action: "keyDown" })],
    ["an empty paste", JSON.stringify({ type: "text", text: "" })],
  ])("ignores %s", (_label, message) => {
    expect(parseViewerInput(message)).toBeUndefined();
  });

  test("a click maps to Input.dispatchMouseEvent with bounded fields", () => {
    const input = parseViewerInput(
      JSON.stringify({
        type: "mouse",
        action: "mousePressed",
        x: 10.5,
        y: 20,
        button: "left",
        buttons: 1,
        clickCount: 9,
        modifiers: 99,
      }),
    );
    expect(input && toCdpInput(input)).toEqual({
      method: "Input.dispatchMouseEvent",
      params: { type: "mousePressed", x: 10.5, y: 20, button: "left", buttons: 1, clickCount: 1, modifiers: 0 },
    });
  });

  test("keys that type text are keyDown with text, others rawKeyDown; paste is insertText", () => {
    const key = (message: Record<string, unknown>) => {
      const input = parseViewerInput(JSON.stringify({ type: "key", ...message }));
      return input && toCdpInput(input);
    };
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
    expect(key({ action: "keyDown", key: "Backspace", code: "Backspace", keyCode: 8 })?.params.type).toBe("rawKeyDown");
    expect(key({ action: "keyUp", key: "a", code: "KeyA", keyCode: 65, text: "a" })?.params).not.toHaveProperty("text");
    const paste = parseViewerInput(JSON.stringify({ type: "text", text: "hello" }));
    expect(paste && toCdpInput(paste)).toEqual({ method: "Input.insertText", params: { text: "hello" } });
  });
});
