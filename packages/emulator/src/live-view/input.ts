import type { LiveViewInput } from "firecrawl-interact/core";

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

/** Where a frame sits in the viewer's box, in CSS pixels: scaled to fit and centred, the rest is letterbox bars. */
export interface FrameFit {
  /** Box CSS pixels per page CSS pixel. */
  scale: number;
  /** Left edge of the frame in the box (the width of one side bar). */
  left: number;
  /** Top edge of the frame in the box (the height of one top/bottom bar). */
  top: number;
}

/** The page area a frame shows, from its header: the screencast's `deviceWidth`/`deviceHeight` and `offsetTop`. */
export interface FrameGeometry {
  /** Frame width in page CSS pixels (`deviceWidth`). */
  width: number;
  /** Frame height in page CSS pixels (`deviceHeight`). */
  height: number;
  /** Page top inside the frame, in CSS pixels (`offsetTop`); 0 when absent. */
  offsetTop?: number;
}

/**
 * Fits a frame of `frame.width × frame.height` page CSS pixels into a `boxWidth × boxHeight` box, keeping its aspect
 * ratio. The JPEG's own pixel size plays no part: a frame streamed at 640×360 or at 1280×720 of the same page is
 * drawn, and mapped, the same way.
 */
export function fitFrame(boxWidth: number, boxHeight: number, frame: FrameGeometry): FrameFit {
  const scale = frame.width > 0 && frame.height > 0 ? Math.min(boxWidth / frame.width, boxHeight / frame.height) : 1;
  return { scale, left: (boxWidth - frame.width * scale) / 2, top: (boxHeight - frame.height * scale) / 2 };
}

/**
 * Maps a point of the viewer's box (CSS pixels from its top-left corner) to the page CSS pixel it shows, as CDP's
 * `Input.dispatchMouseEvent` takes it; null on the letterbox bars, above the page's top offset, or before any frame.
 * Pinch zoom (`pageScaleFactor`) needs no term: the screencast and CDP input both use viewport coordinates.
 */
export function boxToPage(
  x: number,
  y: number,
  boxWidth: number,
  boxHeight: number,
  frame: FrameGeometry,
): { x: number; y: number } | null {
  if (!(frame.width > 0 && frame.height > 0)) return null;
  const fit = fitFrame(boxWidth, boxHeight, frame);
  const offsetTop = frame.offsetTop ?? 0;
  const pageX = within((x - fit.left) / fit.scale, frame.width);
  const pageY = within((y - fit.top) / fit.scale - offsetTop, frame.height - offsetTop);
  return pageX === null || pageY === null ? null : { x: pageX, y: pageY };
}

// A point a rounding error past an edge is on the edge; further out it is on a bar.
const EDGE = 1e-6;
const within = (value: number, max: number): number | null =>
  value < -EDGE || value > max + EDGE ? null : Math.min(max, Math.max(0, value));
