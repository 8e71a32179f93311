import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One HTTP request a client sent, as it reached the proxy. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v2/browser?status=active`. */
  path: string;
  /** The `Authorization` header, or undefined when none was sent. */
  authorization: string | undefined;
  /** The parsed JSON body, undefined when there was none (the raw text when it was not JSON). */
  body: unknown;
  /** Status the upstream answered with (0 while pending or when it could not be reached). */
  status: number;
}

/** A 127.0.0.1 forwarder that records every request before handing it to `target`. */
export interface RecordingProxy {
  /** `http://127.0.0.1:<port>` of the proxy: give it to a client as its API root. */
  readonly origin: string;
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Forgets the requests recorded so far. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * Starts a recording proxy in front of `target` (an `http://host:port` origin) on 127.0.0.1 with a free port. The
 * `Host` header is rewritten to the target's, so URLs the target puts in its answers (CDP, live view) point at it.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString("utf8");
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const authorization = incoming.headers.authorization;
      const record: RecordedRequest = {
        method: incoming.method ?? "GET",
        path: incoming.url ?? "/",
        authorization,
        body,
        status: 0,
      };
      requests.push(record);
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host, "content-length": String(raw.length) },
        },
        (answer) => {
          record.status = answer.statusCode ?? 0;
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on("error", () => {
        if (!outgoing.headersSent) outgoing.writeHead(599);
        outgoing.end();
      });
      forwarded.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    clear: () => {
      requests.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
