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

/** Returns the message when `data` is a well-formed live-view message, else `null`. */
export const parseLiveViewMessage = (data: unknown): LiveViewMessage | null => {
  // Destructuring a primitive yields undefined fields, so strings and numbers fall through to `null` too.
  const { source, type, sessionId } = (data ?? {}) as Record<string, unknown>;
  return source === "firecrawl-interact" &&
    ["connected", "disconnected", "ended"].includes(type as string) &&
    (sessionId === undefined || typeof sessionId === "string")
    ? { source, type: type as LiveViewMessageType, sessionId }
    : null;
};
