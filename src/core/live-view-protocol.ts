// The live-view protocol, in one browser-safe module: the binary frames and text messages the emulator's live-view
// socket sends, the input events its page sends back, and the messages the page posts to the window embedding it.

/** Header of a binary frame: the frame's size in page CSS pixels, its sequence number and the tab it shows. */
export interface LiveViewFrameHeader {
  /** Frame width in page CSS pixels. */
  width: number;
  /** Frame height in page CSS pixels. */
  height: number;
  /** Increases with every frame of a session; a viewer drops frames older than the last one drawn. */
  seq: number;
  /** The CDP target (tab) the frame shows. */
  targetId: string;
  /**
   * Top offset of the page inside the frame, in CSS pixels (the screencast's `offsetTop`, e.g. an emulated mobile
   * browser's top bar); absent when 0. The page's viewport is the frame below it.
   */
  offsetTop?: number;
}

/** A decoded binary frame: its header and the JPEG bytes that follow it. */
export interface LiveViewFrame<Bytes extends Uint8Array = Uint8Array> {
  /** The frame's header. */
  header: LiveViewFrameHeader;
  /** The JPEG image, a view into the decoded message (not a copy). */
  jpeg: Bytes;
}

const PREFIX_BYTES = 4;

/** Packs a frame as `[uint32 BE header length][header JSON][JPEG bytes]`, the live view's binary message. */
export function encodeLiveViewFrame(header: LiveViewFrameHeader, jpeg: Uint8Array): Uint8Array<ArrayBuffer> {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const frame = new Uint8Array(PREFIX_BYTES + json.length + jpeg.length);
  new DataView(frame.buffer).setUint32(0, json.length);
  frame.set(json, PREFIX_BYTES);
  frame.set(jpeg, PREFIX_BYTES + json.length);
  return frame;
}

/** Unpacks a binary live-view message; the JPEG is a view of the same class as `data` (a Buffer stays a Buffer). */
export function decodeLiveViewFrame<Bytes extends Uint8Array>(data: Bytes): LiveViewFrame<Bytes>;
/** Unpacks a binary live-view message received as an ArrayBuffer (a browser socket's `binaryType`). */
export function decodeLiveViewFrame(data: ArrayBuffer): LiveViewFrame<Uint8Array<ArrayBuffer>>;
/** Unpacks a binary live-view message into its header and JPEG bytes; throws a RangeError when it is malformed. */
export function decodeLiveViewFrame(data: ArrayBuffer | Uint8Array): LiveViewFrame {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < PREFIX_BYTES) throw new RangeError("Live-view frame shorter than its length prefix");
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const end = PREFIX_BYTES + length;
  if (end > bytes.length) throw new RangeError("Live-view frame shorter than its header length");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, end)));
  } catch {
    throw new RangeError("Live-view frame header is not JSON");
  }
  const { width, height, seq, targetId, offsetTop } = (parsed ?? {}) as Record<string, unknown>;
  if (!isFiniteNumber(width) || !isFiniteNumber(height) || !isFiniteNumber(seq) || typeof targetId !== "string") {
    throw new RangeError("Live-view frame header lacks width, height, seq or targetId");
  }
  const header: LiveViewFrameHeader = { width, height, seq, targetId };
  if (isFiniteNumber(offsetTop) && offsetTop !== 0) header.offsetTop = offsetTop;
  // subarray builds its result with the input's own class, so a Buffer's JPEG is a Buffer too.
  return { header, jpeg: bytes.subarray(end) };
}

const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** A text message of the live-view socket: the viewer is admitted, the session ended, or the view moved to a tab. */
export type LiveViewServerMessage =
  | { type: "ready"; interactive: boolean }
  | { type: "ended"; reason: string }
  | { type: "tab"; targetId: string };

/** Parses a text message of the live-view socket; anything else (malformed JSON, unknown type) is undefined. */
export function parseLiveViewServerMessage(text: string): LiveViewServerMessage | undefined {
  const message = parseObject(text);
  switch (message?.type) {
    case "ready":
      return typeof message.interactive === "boolean" ? { type: "ready", interactive: message.interactive } : undefined;
    case "ended":
      return typeof message.reason === "string" ? { type: "ended", reason: message.reason } : undefined;
    case "tab":
      return typeof message.targetId === "string" ? { type: "tab", targetId: message.targetId } : undefined;
    default:
      return undefined;
  }
}

/** A mouse button as CDP names it. */
export type LiveViewMouseButton = "none" | "left" | "middle" | "right" | "back" | "forward";

/** A pointer press, release or move at page CSS coordinates. */
export interface LiveViewMouseInput {
  type: "mouse";
  action: "mousePressed" | "mouseReleased" | "mouseMoved";
  x: number;
  y: number;
  button: LiveViewMouseButton;
  /** Held buttons as a bit mask (1 left, 2 right, 4 middle, 8 back, 16 forward). */
  buttons: number;
  clickCount: number;
  /** Modifier bit mask: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift. */
  modifiers: number;
}

/** A wheel scroll at page CSS coordinates, its deltas in CSS pixels. */
export interface LiveViewWheelInput {
  type: "wheel";
  x: number;
  y: number;
  deltaX: number;
  deltaY: number;
  modifiers: number;
}

/** A key going down or up; `text` is what it types ("" for keys that type nothing). */
export interface LiveViewKeyInput {
  type: "key";
  action: "keyDown" | "keyUp";
  key: string;
  code: string;
  keyCode: number;
  text: string;
  modifiers: number;
}

/** Text inserted at once (a paste). */
export interface LiveViewTextInput {
  type: "text";
  text: string;
}

/** An input event a live-view page sends (coordinates already in page CSS pixels). */
export type LiveViewInput = LiveViewMouseInput | LiveViewWheelInput | LiveViewKeyInput | LiveViewTextInput;

/**
 * The size the viewer draws the stream at: its CSS size and device pixel ratio. The server streams frames of at
 * most `width × dpr` by `height × dpr` pixels (never more than the page's own size), so a small view costs less.
 */
export interface LiveViewViewportMessage {
  type: "viewport";
  /** Drawn width in CSS pixels, an integer from 1 to {@link MAX_LIVE_VIEW_SIZE}. */
  width: number;
  /** Drawn height in CSS pixels, an integer from 1 to {@link MAX_LIVE_VIEW_SIZE}. */
  height: number;
  /** The viewer's `devicePixelRatio`, from {@link LIVE_VIEW_DPR}.min to .max. */
  dpr: number;
}

/** Whether the viewer can be seen (its document is visible and its canvas on screen); hidden viewers get no frames. */
export interface LiveViewVisibilityMessage {
  type: "visibility";
  visible: boolean;
}

/** A message about the viewer itself rather than input for the page; read-only viewers send these too. */
export type LiveViewControlMessage = LiveViewViewportMessage | LiveViewVisibilityMessage;

/** Anything a live-view page sends its socket: input for the page, or a control message about the view. */
export type LiveViewViewerMessage = LiveViewInput | LiveViewControlMessage;

/** Longest text a paste may insert. */
export const MAX_LIVE_VIEW_TEXT = 100_000;
/** Largest width or height, in CSS pixels, a viewport message may report. */
export const MAX_LIVE_VIEW_SIZE = 8192;
/** The device pixel ratios a viewport message may report. */
export const LIVE_VIEW_DPR = { min: 0.5, max: 4 } as const;

const MOUSE_BUTTONS: readonly LiveViewMouseButton[] = ["none", "left", "middle", "right", "back", "forward"];
const MOUSE_ACTIONS: readonly LiveViewMouseInput["action"][] = ["mousePressed", "mouseReleased", "mouseMoved"];
const KEY_ACTIONS: readonly LiveViewKeyInput["action"][] = ["keyDown", "keyUp"];
const COORDINATE = 1e5;

const num = (value: unknown, min: number, max: number): number | undefined =>
  isFiniteNumber(value) && value >= min && value <= max ? value : undefined;
const int = (value: unknown, min: number, max: number, fallback: number): number => {
  const parsed = num(value, min, max);
  return parsed === undefined ? fallback : Math.trunc(parsed);
};
const size = (value: unknown): number | undefined =>
  Number.isInteger(value) ? num(value, 1, MAX_LIVE_VIEW_SIZE) : undefined;
const str = (value: unknown, max: number): string | undefined =>
  typeof value === "string" && value.length <= max ? value : undefined;
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
  allowed.find((candidate) => candidate === value);

/**
 * Parses and bounds one message from a viewer: input, or a viewport or visibility report. Anything malformed or out
 * of bounds (a size that is not an integer from 1 to {@link MAX_LIVE_VIEW_SIZE}, a dpr outside
 * {@link LIVE_VIEW_DPR}) is undefined, and is to be ignored.
 */
export function parseLiveViewViewerMessage(text: string): LiveViewViewerMessage | undefined {
  // JSON escapes can double a string's length, so this is the longest message a valid paste can be.
  if (text.length > MAX_LIVE_VIEW_TEXT * 2) return undefined;
  const message = parseObject(text);
  if (!message) return undefined;
  switch (message.type) {
    case "viewport": {
      const width = size(message.width);
      const height = size(message.height);
      const dpr = num(message.dpr, LIVE_VIEW_DPR.min, LIVE_VIEW_DPR.max);
      return width && height && dpr ? { type: "viewport", width, height, dpr } : undefined;
    }
    case "visibility":
      return typeof message.visible === "boolean" ? { type: "visibility", visible: message.visible } : undefined;
    default:
      return parseInput(message);
  }
}

/**
 * The viewport a live-view socket URL carries in `w`, `h` and `dpr` (so the first frame already has the right size),
 * bounded like a viewport message; undefined when absent or out of bounds (`dpr` defaults to 1).
 */
export function parseLiveViewViewportParams(params: URLSearchParams): LiveViewViewportMessage | undefined {
  if (!params.has("w") || !params.has("h")) return undefined;
  const dpr = params.get("dpr");
  const fields = { type: "viewport", width: Number(params.get("w")), height: Number(params.get("h")) };
  const message = parseLiveViewViewerMessage(JSON.stringify({ ...fields, dpr: dpr === null ? 1 : Number(dpr) }));
  return message?.type === "viewport" ? message : undefined;
}

/** Parses and bounds one input message from a viewer; anything else (control messages included) is undefined. */
export function parseLiveViewInput(text: string): LiveViewInput | undefined {
  const message = parseLiveViewViewerMessage(text);
  return message && !isLiveViewControlMessage(message) ? message : undefined;
}

/** True for the viewport and visibility messages, which are about the view, not input for the page. */
export const isLiveViewControlMessage = (message: LiveViewViewerMessage): message is LiveViewControlMessage =>
  message.type === "viewport" || message.type === "visibility";

function parseInput(message: Record<string, unknown>): LiveViewInput | undefined {
  const modifiers = int(message.modifiers, 0, 15, 0);
  const x = num(message.x, -COORDINATE, COORDINATE);
  const y = num(message.y, -COORDINATE, COORDINATE);
  switch (message.type) {
    case "mouse": {
      const action = oneOf(message.action, MOUSE_ACTIONS);
      // A missing or non-string button is "none", as CDP's default; an unknown name is a malformed event.
      const button = typeof message.button === "string" ? oneOf(message.button, MOUSE_BUTTONS) : "none";
      if (!action || !button || x === undefined || y === undefined) return undefined;
      return {
        type: "mouse",
        action,
        x,
        y,
        button,
        buttons: int(message.buttons, 0, 31, 0),
        clickCount: int(message.clickCount, 0, 3, action === "mouseMoved" ? 0 : 1),
        modifiers,
      };
    }
    case "wheel": {
      if (x === undefined || y === undefined) return undefined;
      const deltaX = num(message.deltaX, -COORDINATE, COORDINATE) ?? 0;
      const deltaY = num(message.deltaY, -COORDINATE, COORDINATE) ?? 0;
      return { type: "wheel", x, y, deltaX, deltaY, modifiers };
    }
    case "key": {
      const action = oneOf(message.action, KEY_ACTIONS);
      const key = str(message.key, 40);
      if (!action || key === undefined) return undefined;
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
      const value = str(message.text, MAX_LIVE_VIEW_TEXT);
      return value ? { type: "text", text: value } : undefined;
    }
    default:
      return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The `source` of every message the live-view page posts to its parent window. */
export const LIVE_VIEW_MESSAGE_SOURCE = "firecrawl-interact";

/**
 * What the live-view page reports to its embedding parent: `reconnecting` while it tries to get a dropped socket
 * back (the session still lives), `disconnected` once it stopped trying, `ended` when the session is gone.
 */
export type LiveViewMessageType = "connected" | "reconnecting" | "disconnected" | "ended";

/** A message the live-view page posts to `window.parent`: `{ source: "firecrawl-interact", type, sessionId }`. */
export interface LiveViewMessage {
  /** Always `firecrawl-interact`, so unrelated messages on the window are ignored. */
  source: typeof LIVE_VIEW_MESSAGE_SOURCE;
  /** What happened to the view's connection. */
  type: LiveViewMessageType;
  /** The session the view shows (the emulator's page always says; other pages may not). */
  sessionId?: string;
}

/** Returns the message when `data` is a well-formed live-view message, else `null`. */
export const parseLiveViewMessage = (data: unknown): LiveViewMessage | null => {
  // Destructuring a primitive yields undefined fields, so strings and numbers fall through to `null` too.
  const { source, type, sessionId } = (data ?? {}) as Record<string, unknown>;
  // Written out rather than through the input parser's helpers: this is all <LiveView> ships of the protocol.
  return source === LIVE_VIEW_MESSAGE_SOURCE &&
    ["connected", "reconnecting", "disconnected", "ended"].includes(type as string) &&
    (sessionId === undefined || typeof sessionId === "string")
    ? { source, type: type as LiveViewMessageType, sessionId }
    : null;
};
