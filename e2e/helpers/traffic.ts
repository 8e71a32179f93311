import type { BrowserContext } from "playwright-core";

/** Everything the browser received: response bodies and headers, WebSocket frames. */
export interface TrafficRecorder {
  /** Responses recorded so far. */
  readonly responses: number;
  /** Of those, answers of the interact proxy (`/api/firecrawl/…`). */
  readonly proxyResponses: number;
  /** Waits for every pending body read. */
  settle(): Promise<void>;
  /** Where `secret` occurred (URL of the response or socket), empty when nowhere. */
  find(secret: string): string[];
}

/** Records every response body, response header and WebSocket frame the context's pages receive. */
export function recordTraffic(context: BrowserContext): TrafficRecorder {
  const seen: { where: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  let responses = 0;
  let proxyResponses = 0;
  context.on("response", (response) => {
    responses += 1;
    if (new URL(response.url()).pathname.startsWith("/api/firecrawl/")) proxyResponses += 1;
    const headers = JSON.stringify(response.headers());
    pending.push(
      response.body().then(
        (body) => {
          seen.push({ where: response.url(), text: `${headers}\n${body.toString("latin1")}` });
        },
        () => {
          // Redirects and aborted loads have no body; their headers still count.
          seen.push({ where: response.url(), text: headers });
        },
      ),
    );
  });
  context.on("page", (page) => {
    page.on("websocket", (socket) => {
      socket.on("framereceived", ({ payload }) => {
        seen.push({ where: socket.url(), text: typeof payload === "string" ? payload : payload.toString("latin1") });
      });
    });
  });
  return {
    get responses() {
      return responses;
    },
    get proxyResponses() {
      return proxyResponses;
    },
    settle: async () => {
      await Promise.allSettled(pending);
    },
    find: (secret) => seen.filter((entry) => entry.text.includes(secret)).map((entry) => entry.where),
  };
}
