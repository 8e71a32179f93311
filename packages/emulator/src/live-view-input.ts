import type { LiveViewInput } from "firecrawl-interact/spec";

/** Maps a viewer input to the CDP `Input.*` command that replays it in the page. */
export function toCdpInput(input: LiveViewInput): { method: string; params: Record<string, unknown> } {
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
