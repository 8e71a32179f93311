import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { PipeTransport } from "./pipe-transport.js";

function started() {
  const toBrowser = new PassThrough();
  const fromBrowser = new PassThrough();
  const transport = new PipeTransport(toBrowser, fromBrowser);
  const messages: string[] = [];
  let closes = 0;
  transport.start({ message: (text) => messages.push(text), close: () => closes++ });
  return { transport, toBrowser, fromBrowser, messages, closes: () => closes };
}

// Lets the PassThrough deliver what was written.
const drained = () => new Promise((resolve) => setImmediate(resolve));

describe("PipeTransport: NUL-separated JSON on Chromium's fds 3 and 4", () => {
  test.each([
    { case: "one message, one chunk", chunks: ['{"id":1}\0'], messages: ['{"id":1}'] },
    {
      case: "three messages in one chunk",
      chunks: ['{"a":1}\0{"b":2}\0{"c":3}\0'],
      messages: ['{"a":1}', '{"b":2}', '{"c":3}'],
    },
    {
      case: "a message split over three chunks",
      chunks: ['{"met', 'hod":"x",', '"p":1}\0'],
      messages: ['{"method":"x","p":1}'],
    },
    {
      case: "a split message, then a whole one",
      chunks: ['{"a"', ':1}\0{"b":2}\0{"c"'],
      messages: ['{"a":1}', '{"b":2}'],
    },
    { case: "the NUL alone in its own chunk", chunks: ['{"a":1}', "\0"], messages: ['{"a":1}'] },
  ])("$case", async ({ chunks, messages }) => {
    const pipe = started();
    for (const chunk of chunks) pipe.fromBrowser.write(Buffer.from(chunk));
    await drained();
    expect(pipe.messages).toEqual(messages);
  });

  test("a multi-byte character split between chunks is decoded whole", async () => {
    const pipe = started();
    const bytes = Buffer.from('{"t":"é€😀"}\0');
    // Cut inside the 4-byte emoji and inside the 3-byte euro sign.
    for (const [start, end] of [
      [0, 8],
      [8, 12],
      [12, bytes.length],
    ]) {
      pipe.fromBrowser.write(bytes.subarray(start, end));
    }
    await drained();
    expect(pipe.messages).toEqual(['{"t":"é€😀"}']);
  });

  test("send writes the text and a NUL; nothing after the end", async () => {
    const pipe = started();
    const written: Buffer[] = [];
    pipe.toBrowser.on("data", (chunk: Buffer) => written.push(chunk));
    pipe.transport.send('{"id":1,"method":"Browser.getVersion"}');
    await drained();
    expect(Buffer.concat(written).toString()).toBe('{"id":1,"method":"Browser.getVersion"}\0');
    pipe.fromBrowser.end();
    await drained();
    expect(pipe.closes()).toBe(1);
    pipe.transport.send('{"id":2}');
    await drained();
    expect(Buffer.concat(written).toString()).toBe('{"id":1,"method":"Browser.getVersion"}\0');
  });

  test("close ends both pipes and reports the end once", async () => {
    const pipe = started();
    pipe.transport.close();
    pipe.transport.close();
    await drained();
    expect(pipe.closes()).toBe(1);
    expect(pipe.toBrowser.destroyed).toBe(true);
    expect(pipe.fromBrowser.destroyed).toBe(true);
  });
});
