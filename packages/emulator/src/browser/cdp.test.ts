import { describe, expect, test } from "vitest";
import { CdpConnection, type CdpEvent } from "./cdp.js";
import type { CdpChannel } from "./cdp-channel.js";
import type { CdpTransport, CdpTransportHandlers } from "./pipe-transport.js";

interface Sent {
  id: number;
  method: string;
  params?: Record<string, unknown>;
  sessionId?: string;
}

/** A browser's end of the pipe: records what the connection sends, delivers what the test writes. */
class FakeBrowser implements CdpTransport {
  readonly sent: Sent[] = [];
  private handlers: CdpTransportHandlers | undefined;
  start(handlers: CdpTransportHandlers): void {
    this.handlers = handlers;
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as Sent);
  }
  close(): void {
    this.handlers?.close();
  }
  /** Writes a message as Chromium would. */
  write(message: Record<string, unknown>): void {
    this.writeText(JSON.stringify(message));
  }
  writeText(text: string): void {
    this.handlers?.message(text);
  }
  last(method: string): Sent {
    const found = this.sent.findLast((message) => message.method === method);
    if (!found) throw new Error(`${method} was not sent`);
    return found;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

// A channel whose browser session the fake browser has granted, and what its client received.
async function openChannel(browser: FakeBrowser, connection: CdpConnection, browserSession: string) {
  const channel = connection.openChannel();
  const received: Record<string, unknown>[] = [];
  channel.onMessage((text) => received.push(JSON.parse(text) as Record<string, unknown>));
  const attach = browser.last("Target.attachToBrowserTarget");
  browser.write({ id: attach.id, result: { sessionId: browserSession } });
  await flush();
  return { channel, received };
}

function setUp() {
  const browser = new FakeBrowser();
  const connection = new CdpConnection(browser);
  const events: CdpEvent[] = [];
  connection.onEvent((event) => events.push(event));
  return { browser, connection, events };
}

describe("CdpConnection: the emulator's own commands and events", () => {
  test("a command resolves with its result or rejects with its error; events reach the listeners", async () => {
    const { browser, connection, events } = setUp();
    const version = connection.send("Browser.getVersion");
    const failing = connection.send("Page.navigate", { url: "x" }, "PAGE");
    expect(browser.sent).toEqual([
      { id: 1, method: "Browser.getVersion", params: {} },
      { id: 2, method: "Page.navigate", params: { url: "x" }, sessionId: "PAGE" },
    ]);
    browser.write({ id: 2, error: { code: -32000, message: "Cannot navigate" }, sessionId: "PAGE" });
    browser.write({ id: 1, result: { product: "HeadlessChrome/147" } });
    browser.write({ method: "Page.loadEventFired", params: { timestamp: 1 }, sessionId: "PAGE" });
    expect(await version).toEqual({ product: "HeadlessChrome/147" });
    await expect(failing).rejects.toThrow("Page.navigate: Cannot navigate");
    expect(events).toEqual([{ method: "Page.loadEventFired", params: { timestamp: 1 }, sessionId: "PAGE" }]);
  });

  test("closing rejects what is pending and every later command", async () => {
    const { browser, connection } = setUp();
    const pending = connection.send("Browser.getVersion");
    browser.close();
    await expect(pending).rejects.toThrow("Browser.getVersion: connection closed");
    await expect(connection.send("Browser.getVersion")).rejects.toThrow("connection closed");
    expect(connection.isClosed).toBe(true);
  });
});

describe("CdpChannel: each client gets a browser session of its own on the one connection", () => {
  test("commands sent before the browser session is granted wait for it, then go to it under fresh ids", async () => {
    const { browser, connection } = setUp();
    const channel: CdpChannel = connection.openChannel();
    channel.send(JSON.stringify({ id: 1, method: "Browser.getVersion" }));
    expect(browser.sent.map((message) => message.method)).toEqual(["Target.attachToBrowserTarget"]);
    browser.write({ id: browser.last("Target.attachToBrowserTarget").id, result: { sessionId: "B1" } });
    await flush();
    expect(browser.sent.at(-1)).toEqual({ id: 2, method: "Browser.getVersion", sessionId: "B1" });
  });

  test("two clients' equal ids are told apart; answers come back under the client's id, its root without sessionId", async () => {
    const { browser, connection, events } = setUp();
    const a = await openChannel(browser, connection, "BA");
    const b = await openChannel(browser, connection, "BB");
    a.channel.send(JSON.stringify({ id: 1, method: "Browser.getVersion" }));
    b.channel.send(JSON.stringify({ id: 1, method: "Target.getTargets" }));
    const toA = browser.last("Browser.getVersion");
    const toB = browser.last("Target.getTargets");
    expect([toA.sessionId, toB.sessionId]).toEqual(["BA", "BB"]);
    expect(toA.id).not.toBe(toB.id);
    // As Chromium writes them (answered on the text path), and in another member order (the parsed path).
    browser.write({ id: toB.id, result: { targetInfos: [] }, sessionId: "BB" });
    browser.writeText(`{"sessionId":"BA","result":{"product":"p"},"id":${toA.id}}`);
    expect(a.received).toEqual([{ id: 1, result: { product: "p" } }]);
    expect(b.received).toEqual([{ id: 1, result: { targetInfos: [] } }]);
    expect(events).toEqual([]);
  });

  test("a client reaches only the sessions it opened; their events are its alone", async () => {
    const { browser, connection, events } = setUp();
    const a = await openChannel(browser, connection, "BA");
    const b = await openChannel(browser, connection, "BB");
    a.channel.send(
      JSON.stringify({ id: 5, method: "Target.attachToTarget", params: { targetId: "T", flatten: true } }),
    );
    const attach = browser.last("Target.attachToTarget");
    browser.write({
      method: "Target.attachedToTarget",
      params: { sessionId: "PA", targetInfo: { targetId: "T" } },
      sessionId: "BA",
    });
    browser.write({ id: attach.id, result: { sessionId: "PA" }, sessionId: "BA" });
    expect(a.received).toEqual([
      { method: "Target.attachedToTarget", params: { sessionId: "PA", targetInfo: { targetId: "T" } } },
      { id: 5, result: { sessionId: "PA" } },
    ]);

    const sentBefore = browser.sent.length;
    b.channel.send(JSON.stringify({ id: 9, method: "Runtime.evaluate", params: { expression: "1" }, sessionId: "PA" }));
    expect(b.received).toEqual([{ id: 9, error: { code: -32001, message: "Session with given id not found." } }]);
    expect(browser.sent).toHaveLength(sentBefore);

    a.channel.send(JSON.stringify({ id: 6, method: "Runtime.evaluate", params: { expression: "1" }, sessionId: "PA" }));
    expect(browser.sent.at(-1)).toMatchObject({ method: "Runtime.evaluate", sessionId: "PA" });
    browser.write({ method: "Runtime.consoleAPICalled", params: { type: "log" }, sessionId: "PA" });
    browser.write({ id: browser.last("Runtime.evaluate").id, result: { result: { value: 1 } }, sessionId: "PA" });
    expect(a.received.slice(2)).toEqual([
      { method: "Runtime.consoleAPICalled", params: { type: "log" }, sessionId: "PA" },
      { id: 6, result: { result: { value: 1 } }, sessionId: "PA" },
    ]);
    expect(b.received).toHaveLength(1);
    expect(events).toEqual([]);

    // Detached: the session is no longer the client's, and its stray events are the emulator's to ignore.
    browser.write({ method: "Target.detachedFromTarget", params: { sessionId: "PA" }, sessionId: "BA" });
    a.channel.send(JSON.stringify({ id: 7, method: "Runtime.evaluate", params: {}, sessionId: "PA" }));
    expect(a.received.at(-1)).toEqual({ id: 7, error: { code: -32001, message: "Session with given id not found." } });
    browser.write({ method: "Runtime.consoleAPICalled", params: {}, sessionId: "PA" });
    expect(events).toEqual([{ method: "Runtime.consoleAPICalled", params: {}, sessionId: "PA" }]);
  });

  test("a client closing detaches its browser session and drops its answers in flight; the connection closing closes it", async () => {
    const { browser, connection } = setUp();
    const a = await openChannel(browser, connection, "BA");
    const b = await openChannel(browser, connection, "BB");
    a.channel.send(JSON.stringify({ id: 1, method: "Browser.getVersion" }));
    const inFlight = browser.last("Browser.getVersion");
    a.channel.close();
    expect(browser.sent.at(-1)).toMatchObject({ method: "Target.detachFromTarget", params: { sessionId: "BA" } });
    browser.write({ id: inFlight.id, result: {}, sessionId: "BA" });
    expect(a.received).toEqual([]);
    expect(a.channel.isClosed).toBe(true);

    let closed = 0;
    b.channel.onClose(() => closed++);
    browser.close();
    expect(closed).toBe(1);
    expect(b.channel.isClosed).toBe(true);
    expect(connection.openChannel().isClosed).toBe(true);
  });
});
