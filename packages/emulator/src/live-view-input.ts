/** Input a live-view page sends (coordinates already in page CSS pixels). */
export type ViewerInput =
  | {
      type: "mouse";
      action: "mousePressed" | "mouseReleased" | "mouseMoved";
      x: number;
      y: number;
      button: MouseButton;
      buttons: number;
      clickCount: number;
      modifiers: number;
    }
  | { type: "wheel"; x: number; y: number; deltaX: number; deltaY: number; modifiers: number }
  | {
      type: "key";
      action: "keyDown" | "keyUp";
      key: string;
      code: string;
      keyCode: number;
      text: string;
      modifiers: number;
    }
  | { type: "text"; text: string };

/** A mouse button as CDP names it. */
export type MouseButton = "none" | "left" | "middle" | "right" | "back" | "forward";

const BUTTONS = new Set<string>(["none", "left", "middle", "right", "back", "forward"]);
const MOUSE_ACTIONS = new Set<string>(["mousePressed", "mouseReleased", "mouseMoved"]);
const MAX_TEXT = 100_000;

const num = (value: unknown, min: number, max: number): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
const int = (value: unknown, min: number, max: number, fallback: number): number => {
  const parsed = num(value, min, max);
  return parsed === undefined ? fallback : Math.trunc(parsed);
};
const str = (value: unknown, max: number): string | undefined =>
  typeof value === "string" && value.length <= max ? value : undefined;

/** Parses and bounds one input message from a viewer; anything malformed is undefined and ignored. */
export function parseViewerInput(text: string): ViewerInput | undefined {
  if (text.length > MAX_TEXT * 2) return undefined;
  let message: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    message = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const modifiers = int(message.modifiers, 0, 15, 0);
  const x = num(message.x, -1e5, 1e5);
  const y = num(message.y, -1e5, 1e5);
  switch (message.type) {
    case "mouse": {
      const action = str(message.action, 20);
      const button = str(message.button, 10) ?? "none";
      if (!action || !MOUSE_ACTIONS.has(action) || !BUTTONS.has(button) || x === undefined || y === undefined) return;
      return {
        type: "mouse",
        action: action as "mousePressed",
        x,
        y,
        button: button as MouseButton,
        buttons: int(message.buttons, 0, 31, 0),
        clickCount: int(message.clickCount, 0, 3, action === "mouseMoved" ? 0 : 1),
        modifiers,
      };
    }
    case "wheel": {
      const deltaX = num(message.deltaX, -1e5, 1e5) ?? 0;
      const deltaY = num(message.deltaY, -1e5, 1e5) ?? 0;
      if (x === undefined || y === undefined) return;
      return { type: "wheel", x, y, deltaX, deltaY, modifiers };
    }
    case "key": {
      const action = message.action === "keyDown" || message.action === "keyUp" ? message.action : undefined;
      const key = str(message.key, 40);
      if (!action || key === undefined) return;
      return {
        type: "key",
        action,
        key,
        code: str(message.code, 40) ?? "",
        keyCode: int(message.keyCode, 0, 255, 0),
        text: str(message.text, 8) ?? "",
        modifiers,
      };
    }
    case "text": {
      const value = str(message.text, MAX_TEXT);
      return value ? { type: "text", text: value } : undefined;
    }
    default:
      return undefined;
  }
}

/** Maps a viewer input to the CDP `Input.*` command that replays it in the page. */
export function toCdpInput(input: ViewerInput): { method: string; params: Record<string, unknown> } {
  switch (input.type) {
    case "mouse":
      return {
        method: "Input.dispatchMouseEvent",
        params: {
          type: input.action,
          x: input.x,
          y: input.y,
          button: input.button,
          buttons: input.buttons,
          clickCount: input.clickCount,
          modifiers: input.modifiers,
        },
      };
    case "wheel":
      return {
        method: "Input.dispatchMouseEvent",
        params: {
          type: "mouseWheel",
          x: input.x,
          y: input.y,
          deltaX: input.deltaX,
          deltaY: input.deltaY,
          modifiers: input.modifiers,
        },
      };
    case "key": {
      // Like a real keyboard: a key that types text is a keyDown with text, any other key a rawKeyDown.
      const type = input.action === "keyUp" ? "keyUp" : input.text ? "keyDown" : "rawKeyDown";
      const params: Record<string, unknown> = {
        type,
        key: input.key,
        code: input.code,
        windowsVirtualKeyCode: input.keyCode,
        nativeVirtualKeyCode: input.keyCode,
        modifiers: input.modifiers,
      };
      if (type === "keyDown") {
        params.text = input.text;
        params.unmodifiedText = input.text;
      }
      return { method: "Input.dispatchKeyEvent", params };
    }
    case "text":
      return { method: "Input.insertText", params: { text: input.text } };
  }
}
