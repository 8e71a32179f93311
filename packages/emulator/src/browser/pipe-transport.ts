import type { Readable, Writable } from "node:stream";

/** What a {@link CdpTransport} delivers to its connection. */
export interface CdpTransportHandlers {
  /** One whole message as the browser sent it. */
  message: (text: string) => void;
  /** The transport ended (the browser exited, or {@link CdpTransport.close}); called once. */
  close: () => void;
}

/** A message channel to a browser's DevTools: one JSON text per message, both ways. */
export interface CdpTransport {
  /** Starts delivering messages and the end to `handlers`. */
  start(handlers: CdpTransportHandlers): void;
  /** Sends one message. */
  send(text: string): void;
  /** Ends the transport. */
  close(): void;
}

const NUL = 0;

/**
 * Chromium's `--remote-debugging-pipe`: it reads commands from its fd 3 and writes answers and events to its fd 4,
 * each message followed by a NUL byte. Only the process holding the other ends of those pipes can speak CDP.
 */
export class PipeTransport implements CdpTransport {
  private pending: Buffer[] = [];
  private handlers: CdpTransportHandlers | undefined;
  private ended = false;

  constructor(
    /** Chromium's fd 3: where commands go. */
    private readonly toBrowser: Writable,
    /** Chromium's fd 4: where its messages come from. */
    private readonly fromBrowser: Readable,
  ) {
    // A write to a browser that just died fails with EPIPE: the close below reports the end.
    toBrowser.on("error", () => this.end());
    fromBrowser.on("error", () => this.end());
    fromBrowser.on("close", () => this.end());
    fromBrowser.on("end", () => this.end());
  }

  start(handlers: CdpTransportHandlers): void {
    this.handlers = handlers;
    if (this.ended) {
      handlers.close();
      return;
    }
    this.fromBrowser.on("data", (chunk: Buffer) => this.onData(chunk));
  }

  send(text: string): void {
    if (this.ended) return;
    this.toBrowser.write(`${text}\0`);
  }

  close(): void {
    this.toBrowser.destroy();
    this.fromBrowser.destroy();
    this.end();
  }

  // Splits the byte stream on NUL; a message split across chunks is joined before it is decoded (UTF-8 safe).
  private onData(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(NUL);
    while (end !== -1) {
      const head = chunk.subarray(start, end);
      const whole = this.pending.length > 0 ? Buffer.concat([...this.pending, head]) : head;
      this.pending = [];
      this.handlers?.message(whole.toString("utf8"));
      if (this.ended) return;
      start = end + 1;
      end = chunk.indexOf(NUL, start);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending = [];
    this.handlers?.close();
  }
}
