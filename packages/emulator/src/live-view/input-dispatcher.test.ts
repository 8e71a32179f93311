// The input dispatcher on a scripted CDP connection (what is sent, when), then live-view input keeping up with a fast
// mouse and with a flood on real Chromium: a bare socket client sends the input, and the page reports when a click
// landed by posting its own clock to a test server (no CDP traffic while measuring, so the session's lastActivity
// is the moment the emulator received the click's last message).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LiveViewInput } from "firecrawl-interact/core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, LiveViewClient, startSuiteEmulator } from "../test-helpers/index.js";
import { INPUT_ACK_WAIT_MS, INPUT_OVERFLOW_CLOSE, InputDispatcher } from "./input-dispatcher.js";

/** A CDP connection whose commands are acked only when the test says: every command sent, in order. */
function scriptedConnection() {
  const sent: { method: string; type: unknown; x: unknown; sessionId: string | undefined; ack: () => void }[] = [];
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      sent.push({ method, type: params.type ?? params.text, x: params.x, sessionId, ack: () => resolve({}) });
    });
  /** What was sent, without the ack handles. */
  const log = () => sent.map(({ method, type, x, sessionId }) => ({ method, type, x, sessionId }));
  /** Acks the `index`-th command and lets the dispatcher react. */
  const ack = async (index: number) => {
    sent[index]?.ack();
    await settle();
  };
  return { send, sent, log, ack };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const mouseInput = (action: "mousePressed" | "mouseReleased" | "mouseMoved", x: number): LiveViewInput => ({
  type: "mouse",
  action,
  x,
  y: x,
  button: action === "mouseMoved" ? "none" : "left",
  buttons: action === "mousePressed" ? 1 : 0,
  clickCount: action === "mouseMoved" ? 0 : 1,
  modifiers: 0,
});
const dispatched = (type: string, x: number, sessionId = "S1") => ({
  method: "Input.dispatchMouseEvent",
  type,
  x,
  sessionId,
});

describe("InputDispatcher (scripted CDP connection)", () => {
  const attachedTo = (sessionId: string | undefined) => ({ current: () => sessionId, switched: () => undefined });
  /** Whether `promise` has settled by now. */
  const isDone = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    await settle();
    return done;
  };

  test("one command in flight at a time; what comes meanwhile is merged and sent in order as each is acked", async () => {
    const connection = scriptedConnection();
    const dispatcher = new InputDispatcher(connection, attachedTo("S1"));
    for (const x of [1, 2, 3]) dispatcher.push(mouseInput("mouseMoved", x));
    await settle();
    expect(connection.log()).toEqual([dispatched("mouseMoved", 1)]);
    dispatcher.push(mouseInput("mousePressed", 3));
    for (const x of [4, 5]) dispatcher.push(mouseInput("mouseMoved", x));
    dispatcher.push(mouseInput("mouseReleased", 5));
    dispatcher.push({ type: "text", text: "hi" });
    await settle();
    expect(connection.log()).toHaveLength(1);
    for (let i = 0; i < 5; i++) await connection.ack(i);
    expect(connection.log()).toEqual([
      dispatched("mouseMoved", 1),
      dispatched("mouseMoved", 3),
      dispatched("mousePressed", 3),
      dispatched("mouseMoved", 5),
      dispatched("mouseReleased", 5),
      { method: "Input.insertText", type: "hi", x: undefined, sessionId: "S1" },
    ]);
  });

  test("input before the tab is attached waits for the attach and goes to it; drained() does not wait for it", async () => {
    const connection = scriptedConnection();
    let sessionId: string | undefined;
    const attach: { done?: () => void } = {};
    const attached = new Promise<void>((resolve) => {
      attach.done = resolve;
    });
    const dispatcher = new InputDispatcher(connection, { current: () => sessionId, switched: () => attached });
    dispatcher.push(mouseInput("mousePressed", 7));
    dispatcher.push(mouseInput("mouseReleased", 7));
    await settle();
    expect(connection.log()).toEqual([]);
    // A detach waiting for it would wait for the attach it is itself holding up.
    expect(await isDone(dispatcher.drained())).toBe(true);
    sessionId = "S2";
    attach.done?.();
    await settle();
    expect(connection.log()).toEqual([dispatched("mousePressed", 7, "S2")]);
  });

  test("with no tab on screen and none coming, input is dropped, not held", async () => {
    const connection = scriptedConnection();
    const dispatcher = new InputDispatcher(connection, attachedTo(undefined));
    dispatcher.push(mouseInput("mousePressed", 1));
    dispatcher.push(mouseInput("mouseReleased", 1));
    await settle();
    expect(connection.log()).toEqual([]);
    expect(await isDone(dispatcher.drained())).toBe(true);
  });

  test("drained() waits for the input accepted before it, and not for input that comes after, however much", async () => {
    const connection = scriptedConnection();
    const dispatcher = new InputDispatcher(connection, attachedTo("S1"));
    expect(await isDone(dispatcher.drained())).toBe(true);
    dispatcher.push(mouseInput("mouseMoved", 1));
    dispatcher.push(mouseInput("mousePressed", 1));
    const drained = dispatcher.drained();
    dispatcher.push(mouseInput("mouseMoved", 2));
    await connection.ack(0);
    expect(await isDone(drained)).toBe(false);
    dispatcher.push(mouseInput("mouseMoved", 3));
    await connection.ack(1);
    // The press is acked: drained, with the moves after it still going.
    expect(await isDone(drained)).toBe(true);
    expect(connection.log()).toEqual([
      dispatched("mouseMoved", 1),
      dispatched("mousePressed", 1),
      dispatched("mouseMoved", 3),
    ]);
  });

  test("a command never acked holds the next one INPUT_ACK_WAIT_MS, no longer; drained() waits as long", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const connection = scriptedConnection();
      const dispatcher = new InputDispatcher(connection, attachedTo("S1"));
      dispatcher.push(mouseInput("mousePressed", 1));
      dispatcher.push(mouseInput("mouseReleased", 1));
      await settle();
      const drained = dispatcher.drained();
      await vi.advanceTimersByTimeAsync(INPUT_ACK_WAIT_MS - 1);
      expect(connection.log()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(connection.log()).toEqual([dispatched("mousePressed", 1), dispatched("mouseReleased", 1)]);
      expect(await isDone(drained)).toBe(false);
      await vi.advanceTimersByTimeAsync(INPUT_ACK_WAIT_MS);
      expect(await isDone(drained)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test("stop drops what waits, sends nothing more and ends any wait in drained()", async () => {
    const connection = scriptedConnection();
    const dispatcher = new InputDispatcher(connection, attachedTo("S1"));
    dispatcher.push(mouseInput("mousePressed", 1));
    dispatcher.push(mouseInput("mouseReleased", 1));
    const drained = dispatcher.drained();
    await settle();
    dispatcher.stop();
    expect(await isDone(drained)).toBe(true);
    await connection.ack(0);
    expect(dispatcher.push(mouseInput("mousePressed", 2))).toBe(true);
    await settle();
    expect(connection.log()).toEqual([dispatched("mousePressed", 1)]);
  });

  test("push answers false once the queue refuses input, and dispatches the rest", async () => {
    const connection = scriptedConnection();
    const limits = { dropMovesAbove: 1, maxEntries: 2, maxTextChars: 10 };
    const dispatcher = new InputDispatcher(connection, attachedTo("S1"), limits);
    const answers = [1, 2, 3, 4].map((x) => dispatcher.push(mouseInput("mousePressed", x)));
    // The first is in flight at once, the next two wait, the fourth is refused.
    expect(answers).toEqual([true, true, true, false]);
    for (let i = 0; i < 3; i++) await connection.ack(i);
    expect(connection.log()).toEqual([1, 2, 3].map((x) => dispatched("mousePressed", x)));
  });
});

/**
 * A full-viewport button; each click posts where and when (the page's Date.now()) it landed and how many moves came
 * before, and repaints the button.
 */
const BUTTON_PAGE = `<!doctype html><html><head><title>button</title></head><body style="margin:0">
<button id="b" style="position:fixed;inset:0;width:100%;height:100%;border:0">x</button><script>
let moves = 0;
addEventListener("mousemove", () => moves++);
document.getElementById("b").addEventListener("click", (e) => {
  const landed = { at: Date.now(), x: e.clientX, y: e.clientY, moves };
  e.target.textContent = "clicked " + landed.at;
  fetch("/landed", { method: "POST", body: JSON.stringify(landed) });
});
</script></body></html>`;

interface Landed {
  /** The page's Date.now() in its click handler (one wall clock with this process: same machine). */
  at: number;
  x: number;
  y: number;
  /** mousemove events the page had seen by then. */
  moves: number;
}

/** Serves the button page and collects the clicks it reports. */
async function startClickSite() {
  const landed: Landed[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    if (request.method === "POST" && request.url === "/landed") {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        landed.push(JSON.parse(body) as Landed);
        response.end();
      });
      return;
    }
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(BUTTON_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    landed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startClickSite>>;
const processesBefore = chromiumProcessCount();

interface Created {
  id: string;
  cdpUrl: string;
  interactiveLiveViewUrl: string;
}

/**
 * Runs `body` with a fresh session on the button page and an interactive socket client that has its first frame.
 * Playwright only navigates and disconnects, so nothing but the client's input counts as activity meanwhile; the
 * client and the session are closed afterwards, also when the body throws.
 */
async function withViewer(
  body: (session: Created, viewer: LiveViewClient, open: () => Promise<LiveViewClient>) => Promise<void>,
): Promise<void> {
  const answer = await call(emulator, "POST", "/interact", { body: { ttl: 300 } });
  expect(answer.status).toBe(200);
  const session = answer.body as unknown as Created;
  const clients: LiveViewClient[] = [];
  try {
    const browser = await chromium.connectOverCDP(session.cdpUrl);
    try {
      const page = browser.contexts()[0]?.pages()[0];
      if (!page) throw new Error("the session has no page");
      await page.goto(`${site.origin}/`);
    } finally {
      await browser.close();
    }
    const open = async () => {
      const viewer = new LiveViewClient(session.interactiveLiveViewUrl);
      clients.push(viewer);
      await viewer.message("ready");
      await viewer.nextFrame();
      return viewer;
    };
    await body(session, await open(), open);
  } finally {
    for (const client of clients) client.socket.terminate();
    await call(emulator, "DELETE", `/interact/${session.id}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A mouse move along a loop around the page's centre (buttons up), the `i`-th point of it. */
const move = (i: number) => ({
  type: "mouse",
  action: "mouseMoved",
  x: Math.round(640 + 400 * Math.cos(i / 15)),
  y: Math.round(360 + 250 * Math.sin(i / 15)),
  button: "none",
  buttons: 0,
  clickCount: 0,
});

/** Sends `count` moves at `hz`, on schedule: a late timer sends every move that is due, as a burst. */
async function movesAt(viewer: LiveViewClient, hz: number, count: number): Promise<void> {
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * hz) / 1000) + 1);
    for (; sent < due; sent++) viewer.send(move(sent));
    await sleep(Math.max(0, start + (sent * 1000) / hz - performance.now()));
  }
}

/** The time the emulator last received input for the session: its lastActivity, from the session list. */
async function lastInputAt(sessionId: string): Promise<number> {
  const { sessions } = (await call(emulator, "GET", "/interact")).body as {
    sessions: { id: string; lastActivity: string }[];
  };
  const entry = sessions.find((candidate) => candidate.id === sessionId);
  if (!entry) throw new Error("the session is not listed");
  return Date.parse(entry.lastActivity);
}

/** Clicks at (x, y) and waits for the page to report it; the answer says when it was sent, received and landed. */
async function click(session: Created, viewer: LiveViewClient, x: number, y: number, timeoutMs = 20_000) {
  const before = site.landed.length;
  const sentAt = Date.now();
  viewer.click(x, y);
  const deadline = Date.now() + timeoutMs;
  while (site.landed.length === before) {
    if (Date.now() > deadline) throw new Error(`the click had not landed ${timeoutMs} ms after it was sent`);
    await sleep(5);
  }
  const landed = site.landed[before] as Landed;
  const receivedAt = await lastInputAt(session.id);
  return { ...landed, sentAt, receivedAt, sentToLanded: landed.at - sentAt, receivedToLanded: landed.at - receivedAt };
}

describe("live-view input keeps up (real Chromium)", () => {
  beforeAll(async () => {
    site = await startClickSite();
    emulator = await startSuiteEmulator("emulator.live-view-input", { warmPool: 1 });
    await emulator.warm();
  });

  afterAll(async () => {
    await site?.close();
    await finishSuite("emulator.live-view-input", emulator, processesBefore);
  });

  test("after 3 s of 120 Hz mouse moves a click lands within 100 ms, where it was sent", async () => {
    await withViewer(async (session, viewer) => {
      await movesAt(viewer, 120, 360);
      const landed = await click(session, viewer, 100, 100);
      console.info(
        `[live-view input] 120 Hz × 3 s, then a click: sent → landed ${landed.sentToLanded} ms, ` +
          `received → landed ${landed.receivedToLanded} ms, page saw ${landed.moves} moves`,
      );
      expect({ x: landed.x, y: landed.y }).toEqual({ x: 100, y: 100 });
      expect(landed.sentToLanded).toBeLessThan(100);
      // Moves kept reaching the page as they came (merged only while one was in flight), not just the last one.
      expect(landed.moves).toBeGreaterThan(30);
    });
  });

  test("a flood of 10,000 moves at once, then a click: it lands within 100 ms of reaching the emulator, which keeps serving", async () => {
    await withViewer(async (session, viewer) => {
      const flood = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(move(i)));
      for (const message of flood) viewer.socket.send(message);
      const landed = await click(session, viewer, 1200, 80);
      console.info(
        `[live-view input] 10,000 moves at once, then a click: sent → landed ${landed.sentToLanded} ms, ` +
          `received → landed ${landed.receivedToLanded} ms, page saw ${landed.moves} moves`,
      );
      expect({ x: landed.x, y: landed.y }).toEqual({ x: 1200, y: 80 });
      expect(landed.receivedToLanded).toBeLessThan(100);

      // Still serving: the socket is open, the API answers, the next click is as quick and its repaint streams.
      expect(viewer.socket.readyState).toBe(viewer.socket.OPEN);
      expect((await call(emulator, "GET", "/interact")).status).toBe(200);
      const frames = viewer.frames.length;
      const next = await click(session, viewer, 40, 700);
      expect({ x: next.x, y: next.y }).toEqual({ x: 40, y: 700 });
      expect(next.receivedToLanded).toBeLessThan(100);
      await viewer.nextFrame(frames);
    });
  });

  test("a flood of input that cannot be merged (2,000 key events at once) closes that viewer with 1008; the session keeps serving", async () => {
    await withViewer(async (session, flooder, open) => {
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        flooder.socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      const keyUp = JSON.stringify({ type: "key", action: "keyUp", key: "Shift", code: "ShiftLeft", keyCode: 16 });
      for (let i = 0; i < 2000; i++) flooder.socket.send(keyUp);
      const stillOpen = sleep(10_000).then(() => ({ code: 0, reason: "still open after 10 s" }));
      expect(await Promise.race([closed, stillOpen])).toEqual({
        code: 1008,
        reason: "Live-view input overflow: more than 1024 events waiting for the page",
      });
      expect(INPUT_OVERFLOW_CLOSE.code).toBe(1008);

      // Another viewer of the same session is served: its click lands where it was sent, once the backlog is through.
      const viewer = await open();
      const landed = await click(session, viewer, 300, 200);
      expect({ x: landed.x, y: landed.y }).toEqual({ x: 300, y: 200 });
      expect((await call(emulator, "GET", "/interact")).status).toBe(200);
    });
  });
});
