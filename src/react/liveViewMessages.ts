/** What the live-view page reports to its embedding parent. */
export type LiveViewMessageType = "connected" | "disconnected" | "ended";

/** A message posted by the live-view page: `{ source: "firecrawl-interact", type, sessionId }`. */
export interface LiveViewMessage {
  /** Always `firecrawl-interact`, so unrelated messages on the window are ignored. */
  source: "firecrawl-interact";
  /** What happened to the view's connection. */
  type: LiveViewMessageType;
  /** The session the view shows, when the page says. */
  sessionId?: string;
}

const TYPES: ReadonlySet<string> = new Set<LiveViewMessageType>(["connected", "disconnected", "ended"]);

/** Returns the message when `data` is a well-formed live-view message, else `null`. */
export function parseLiveViewMessage(data: unknown): LiveViewMessage | null {
  if (typeof data !== "object" || data === null) return null;
  const { source, type, sessionId } = data as Record<string, unknown>;
  if (source !== "firecrawl-interact" || typeof type !== "string" || !TYPES.has(type)) return null;
  if (sessionId !== undefined && typeof sessionId !== "string") return null;
  const message: LiveViewMessage = { source, type: type as LiveViewMessageType };
  if (sessionId !== undefined) message.sessionId = sessionId;
  return message;
}
