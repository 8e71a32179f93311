// The live view sized to its viewer, paused while hidden and reconnecting after a drop, on real Chromium: bare socket
// clients for exact frame sizes, and the live-view page itself in an iframe (of another session's browser) for the
// ResizeObserver, IntersectionObserver and reconnect paths. Every socket is on 127.0.0.1.
import { createServer, type Server, Socket } from "node:net";
import { chromium, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import {
  call,
  chromiumProcessCount,
  finishSuite,
  LiveViewClient,
  startSuiteEmulator,
  startTestSite,
  waitFor,
} from "../test-helpers/index.js";
import { screencastBounds } from "./hub.js";

const PAGES: Record<string, string> = {
  // Repaints every animation frame, so a running screencast sends frames all the time.
  "/animated": `<!doctype html><html><head><title>animated</title></head><body style="margin:0">
<div id="d" style="position:fixed;inset:0;font:700 120px system-ui"></div><script>
let n = 0; const d = document.getElementById("d");
(function tick() { n++; d.textContent = n; d.style.background = "hsl(" + (n * 7) % 360 + " 80% 60%)"; requestAnimationFrame(tick); })();
</script></body></html>`,
  // A full-viewport button that records the CSS coordinates of every click.
  "/button": `<!doctype html><html><head><title>clicked 0</title></head><body style="margin:0">
<button id="b" style="position:fixed;inset:0;width:100%;height:100%;border:0">x</button><script>
window.clicks = []; let n = 0;
document.getElementById("b").addEventListener("click", (e) => {
  window.clicks.push([e.clientX, e.clientY]); document.title = "clicked " + (++n);
});
</script></body></html>`,
  // A full-viewport input in a form; every submit (Enter) is recorded, with the value at that moment.
  "/input": `<!doctype html><html><head><title>input</title></head><body style="margin:0">
<form id="f"><input id="i" style="position:fixed;inset:0;width:100%;height:100%;border:0;font:40px system-ui"></form>
<script>
window.submits = [];
document.getElementById("f").addEventListener("submit", (e) => {
  e.preventDefault(); window.submits.push(document.getElementById("i").value);
});
</script></body></html>`,
  // Embeds a live view (?src=) at ?w×?h with a tall page below it (to scroll it away), recording its messages.
  "/host": `<!doctype html><html><head><title>host</title></head><body style="margin:0">
<iframe id="f" title="live" style="display:block;border:0" sandbox="allow-scripts allow-same-origin"></iframe>
<div style="height:4000px"></div><script>
const q = new URLSearchParams(location.search);
const f = document.getElementById("f");
f.style.width = q.get("w") + "px"; f.style.height = q.get("h") + "px";
window.received = [];
addEventListener("message", (e) => window.received.push(e.data.type));
f.src = q.get("src");
</script></body></html>`,
};

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startTestSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startTestSite(PAGES);
  emulator = await startSuiteEmulator("emulator.live-view", { warmPool: 1 });
  await emulator.warm();
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.live-view", emulator, processesBefore);
});

interface Created {
  id: string;
  cdpUrl: string;
  liveViewUrl: string;
  interactiveLiveViewUrl: string;
}

/**
 * Runs `body` with a fresh session showing `path`; the session's Playwright connection and the session itself are
 * closed afterwards, also when the body throws.
 */
async function withSession<T>(path: string, body: (session: Created, page: Page) => Promise<T>): Promise<T> {
  const answer = await call(emulator, "POST", "/interact", { body: { ttl: 300 } });
  expect(answer.status).toBe(200);
  const session = answer.body as unknown as Created;
  const browser = await chromium.connectOverCDP(session.cdpUrl);
  try {
    const page = browser.contexts()[0]?.pages()[0];
    if (!page) throw new Error("the session has no page");
    await page.goto(`${site.origin}${path}`);
    return await body(session, page);
  } finally {
    await browser.close().catch(() => undefined);
    await call(emulator, "DELETE", `/interact/${session.id}`);
  }
}

/** Opens socket clients and closes every one of them after `body`, whatever happens. */
async function withClients<T>(body: (open: (url: string) => LiveViewClient) => Promise<T>): Promise<T> {
  const clients: LiveViewClient[] = [];
  try {
    return await body((url) => {
      const client = new LiveViewClient(url);
      clients.push(client);
      return client;
    });
  } finally {
    for (const client of clients) client.socket.terminate();
  }
}

/** Width and height of a baseline or progressive JPEG, read from its SOF marker. */
function jpegSize(jpeg: Uint8Array): { width: number; height: number } {
  for (let i = 2; i + 8 < jpeg.length; ) {
    if (jpeg[i] !== 0xff) throw new Error(`not a JPEG marker at ${i}`);
    const marker = jpeg[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return {
        height: ((jpeg[i + 5] ?? 0) << 8) | (jpeg[i + 6] ?? 0),
        width: ((jpeg[i + 7] ?? 0) << 8) | (jpeg[i + 8] ?? 0),
      };
    }
    i += 2 + (((jpeg[i + 2] ?? 0) << 8) | (jpeg[i + 3] ?? 0));
  }
  throw new Error("no SOF marker");
}

const near = (size: { width: number; height: number }, width: number, height: number) =>
  Math.abs(size.width - width) <= 2 && Math.abs(size.height - height) <= 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a frame of about `width × height` pixels after `from` frames; returns its index. */
async function frameOfSize(client: LiveViewClient, width: number, height: number, from = 0): Promise<number> {
  return waitFor(`a ${width}×${height} frame`, () => {
    const index = client.frames.findIndex((frame, i) => i >= from && near(jpegSize(frame.jpeg), width, height));
    return index >= 0 ? index + 1 : 0;
  }).then((found) => found - 1);
}

/** Asserts that `count` more frames arrive and that all of them are about `width × height`. */
async function nextFramesAre(client: LiveViewClient, width: number, height: number, count = 5): Promise<void> {
  const from = client.frames.length;
  await waitFor(`${count} more frames`, () => client.frames.length >= from + count);
  const sizes = client.frames.slice(from).map((frame) => jpegSize(frame.jpeg));
  expect(sizes.filter((size) => !near(size, width, height))).toEqual([]);
}

describe("screencastBounds", () => {
  const page = { width: 1280, height: 720 };

  test("is the CSS size × DPR of the largest viewer, capped at the page's size", () => {
    expect(screencastBounds([{ width: 640, height: 360, dpr: 1 }], page)).toEqual({ maxWidth: 640, maxHeight: 360 });
    expect(screencastBounds([{ width: 320, height: 180, dpr: 2 }], page)).toEqual({ maxWidth: 640, maxHeight: 360 });
    expect(screencastBounds([{ width: 333, height: 187, dpr: 1.5 }], page)).toEqual({ maxWidth: 500, maxHeight: 281 });
    expect(
      screencastBounds(
        [
          { width: 320, height: 400, dpr: 1 },
          { width: 640, height: 200, dpr: 1 },
        ],
        page,
      ),
    ).toEqual({ maxWidth: 640, maxHeight: 400 });
    expect(screencastBounds([{ width: 1600, height: 400, dpr: 1 }], page)).toEqual({ maxWidth: 1280, maxHeight: 400 });
  });

  test("is the page's full size for no viewer, a viewer that never said its size, or one as large as the page", () => {
    expect(screencastBounds([], page)).toBeUndefined();
    expect(screencastBounds([undefined, { width: 320, height: 180, dpr: 1 }], page)).toBeUndefined();
    expect(screencastBounds([{ width: 1280, height: 720, dpr: 1 }], page)).toBeUndefined();
    expect(screencastBounds([{ width: 1920, height: 1080, dpr: 2 }], page)).toBeUndefined();
  });
});

describe("live-view streams sized to the viewer (socket clients)", () => {
  test("640×360 at DPR 1 gets 640×360 frames from the first; resizes restart the stream at the new size; DPR counts; capped at the page", async () => {
    await withSession("/animated", (session) =>
      withClients(async (open) => {
        // Sized by its URL, as the live-view page opens it: the very first frame already fits.
        const viewer = open(`${session.liveViewUrl}&w=640&h=360&dpr=1`);
        const first = await viewer.nextFrame();
        expect(jpegSize(first.jpeg)).toEqual({ width: 640, height: 360 });
        // The header still speaks page CSS pixels: pointer mapping does not depend on the stream's size.
        expect(first.header).toMatchObject({ width: 1280, height: 720 });
        await nextFramesAre(viewer, 640, 360);

        viewer.send({ type: "viewport", width: 640, height: 360, dpr: 1 });
        viewer.send({ type: "viewport", width: 480, height: 270, dpr: 1 });
        await frameOfSize(viewer, 480, 270, viewer.frames.length);
        await nextFramesAre(viewer, 480, 270);

        viewer.send({ type: "viewport", width: 320, height: 180, dpr: 1 });
        await frameOfSize(viewer, 320, 180, viewer.frames.length);
        await nextFramesAre(viewer, 320, 180);

        viewer.send({ type: "viewport", width: 320, height: 180, dpr: 2 });
        await frameOfSize(viewer, 640, 360, viewer.frames.length);
        await nextFramesAre(viewer, 640, 360);

        // Larger than the page: capped at the page's 1280×720.
        viewer.send({ type: "viewport", width: 1920, height: 1080, dpr: 2 });
        await frameOfSize(viewer, 1280, 720, viewer.frames.length);
        await nextFramesAre(viewer, 1280, 720, 3);
      }),
    );
  });

  test("a viewer that never says its size gets full-size frames, as before", async () => {
    await withSession("/animated", (session) =>
      withClients(async (open) => {
        const viewer = open(session.liveViewUrl);
        await viewer.nextFrame();
        await nextFramesAre(viewer, 1280, 720, 3);
      }),
    );
  });

  test("hidden: no frames while every viewer is hidden, frames again on resume; one hidden viewer of two gets none", async () => {
    await withSession("/animated", (session) =>
      withClients(async (open) => {
        const viewer = open(session.liveViewUrl);
        await viewer.opened;
        viewer.send({ type: "viewport", width: 640, height: 360, dpr: 1 });
        await frameOfSize(viewer, 640, 360);

        viewer.send({ type: "visibility", visible: false });
        // Frames already in flight may land; after that, nothing.
        await sleep(400);
        const paused = viewer.frames.length;
        await sleep(1500);
        expect(viewer.frames.length).toBe(paused);

        viewer.send({ type: "visibility", visible: true });
        await waitFor("frames after resume", () => viewer.frames.length >= paused + 5);
        await nextFramesAre(viewer, 640, 360, 3);

        // Two viewers: the stream fits the larger visible one; the hidden one gets nothing meanwhile.
        const small = open(`${session.liveViewUrl}&w=320&h=180&dpr=1`);
        await nextFramesAre(small, 640, 360, 3);
        viewer.send({ type: "visibility", visible: false });
        await frameOfSize(small, 320, 180, small.frames.length);
        await sleep(300);
        const hiddenCount = viewer.frames.length;
        await nextFramesAre(small, 320, 180, 10);
        expect(viewer.frames.length).toBe(hiddenCount);
        // Back: the larger size again, and the last frame at once.
        viewer.send({ type: "visibility", visible: true });
        await frameOfSize(viewer, 640, 360, hiddenCount);
      }),
    );
  });

  test("bad control messages are ignored: the stream keeps its size, the socket stays open, no activity counted", async () => {
    await withSession("/animated", (session) =>
      withClients(async (open) => {
        const viewer = open(session.liveViewUrl);
        await viewer.opened;
        viewer.send({ type: "viewport", width: 640, height: 360, dpr: 1 });
        await frameOfSize(viewer, 640, 360);
        const activity = async () =>
          ((await call(emulator, "GET", "/interact")).body.sessions as { id: string; lastActivity: string }[]).find(
            (entry) => entry.id === session.id,
          )?.lastActivity;
        const before = await activity();
        for (const bad of [
          { type: "viewport", width: 0, height: 360, dpr: 1 },
          { type: "viewport", width: 320.5, height: 180, dpr: 1 },
          { type: "viewport", width: 99_999, height: 180, dpr: 1 },
          { type: "viewport", width: 320, height: 180, dpr: 10 },
          { type: "viewport", width: 320, height: 180, dpr: 0.1 },
          { type: "viewport", width: "320", height: "180", dpr: 1 },
          { type: "visibility", visible: "no" },
          { type: "visibility" },
        ]) {
          viewer.send(bad);
        }
        viewer.socket.send("{not json");
        viewer.socket.send(Buffer.from([1, 2, 3]));
        await sleep(500);
        await nextFramesAre(viewer, 640, 360, 10);
        expect(viewer.socket.readyState).toBe(viewer.socket.OPEN);
        // A read-only viewer may size and pause its stream; neither counts as activity of the session.
        expect(await activity()).toBe(before);
      }),
    );
  });
});

/** The live-view page inside the host page's iframe. */
async function liveFrame(host: Page): Promise<Frame> {
  return waitFor("the live-view iframe", () => host.frames().find((frame) => frame.url().includes("/live/")));
}
const frameCount = async (frame: Frame) => Number(await frame.evaluate("document.documentElement.dataset.frames ?? 0"));
const frameSize = async (frame: Frame) =>
  String(await frame.evaluate("document.documentElement.dataset.frameSize ?? ''"));
const pageState = async (frame: Frame) => String(await frame.evaluate("document.documentElement.dataset.state"));
const received = (host: Page) => host.evaluate("window.received") as Promise<string[]>;

/** Waits until the live-view page in `frame` draws frames of about `width × height`. */
async function drawsAt(frame: Frame, width: number, height: number): Promise<void> {
  await waitFor(`the page drawing ${width}×${height} frames`, async () => {
    const [w, h] = (await frameSize(frame)).split("x").map(Number);
    return w !== undefined && h !== undefined && near({ width: w, height: h }, width, height);
  });
}

describe("the live-view page reports its size and visibility", () => {
  test("at 640×360 it draws 640×360 frames; resized to 320×180 it draws 320×180 ones", async () => {
    await withSession("/animated", (target) =>
      withSession("/animated", async (_host, hostPage) => {
        const src = encodeURIComponent(target.liveViewUrl);
        await hostPage.goto(`${site.origin}/host?w=640&h=360&src=${src}`);
        const frame = await liveFrame(hostPage);
        await drawsAt(frame, 640, 360);
        expect(await frame.evaluate("window.devicePixelRatio")).toBe(1);

        await hostPage.evaluate(
          `Object.assign(document.getElementById("f").style, { width: "320px", height: "180px" })`,
        );
        await drawsAt(frame, 320, 180);
        const drawn = await frameCount(frame);
        await waitFor("more 320×180 frames", async () => (await frameCount(frame)) >= drawn + 5);
        expect(await frameSize(frame)).toBe("320x180");
      }),
    );
  });

  test("a click on a letterboxed, downsized stream lands on the same page CSS pixel", async () => {
    await withSession("/button", (target, targetPage) =>
      withSession("/animated", async (_host, hostPage) => {
        const src = encodeURIComponent(target.interactiveLiveViewUrl);
        await hostPage.goto(`${site.origin}/host?w=640&h=480&src=${src}`);
        const frame = await liveFrame(hostPage);
        // A 640×480 box: frames of at most 640×480, so 640×360 of the 16:9 page, with 60 px bars.
        await drawsAt(frame, 640, 360);
        // Scale 0.5, 60 px bars above and below: box (160, 150) is page (320, 180).
        await hostPage.mouse.click(160, 150);
        await hostPage.mouse.click(160, 20); // on the bar: not sent
        await hostPage.mouse.click(639, 419); // the last pixel row of the frame: page (1278, 718)
        const landed = await waitFor("two clicks on the page", async () => {
          const clicks = (await targetPage.evaluate("window.clicks")) as [number, number][];
          return clicks.length >= 2 ? clicks : null;
        });
        await sleep(300);
        expect(await targetPage.evaluate("window.clicks.length")).toBe(2);
        expect(Math.abs((landed[0]?.[0] ?? 0) - 320)).toBeLessThanOrEqual(1);
        expect(Math.abs((landed[0]?.[1] ?? 0) - 180)).toBeLessThanOrEqual(1);
        expect(Math.abs((landed[1]?.[0] ?? 0) - 1278)).toBeLessThanOrEqual(1);
        expect(Math.abs((landed[1]?.[1] ?? 0) - 718)).toBeLessThanOrEqual(1);
      }),
    );
  });

  /** Hides the view one way, checks that nothing reaches the page over the wire, shows it again, checks frames. */
  async function pausesWhile(hide: (host: Page, frame: Frame) => Promise<unknown>, show: typeof hide) {
    const proxy = await startDropProxy(emulator.port);
    try {
      await withSession("/animated", (target) =>
        withSession("/animated", async (_host, hostPage) => {
          const src = encodeURIComponent(target.liveViewUrl.replace(emulator.origin, proxy.origin));
          await hostPage.goto(`${site.origin}/host?w=640&h=360&src=${src}`);
          const frame = await liveFrame(hostPage);
          await drawsAt(frame, 640, 360);

          await hide(hostPage, frame);
          await waitFor(
            "the page to see itself hidden",
            async () => (await frame.evaluate("document.documentElement.dataset.visible")) === "false",
          );
          // Frames in flight may still land; after that, not a byte: the screencast is stopped, not just unacked.
          await sleep(400);
          const paused = await frameCount(frame);
          const bytes = proxy.bytesToViewer;
          await sleep(1500);
          expect(await frameCount(frame)).toBe(paused);
          expect(proxy.bytesToViewer - bytes).toBe(0);

          await show(hostPage, frame);
          await waitFor("frames after showing it again", async () => (await frameCount(frame)) >= paused + 5);
          expect(await frame.evaluate("document.documentElement.dataset.visible")).toBe("true");
          expect(await pageState(frame)).toBe("live");
        }),
      );
    } finally {
      await proxy.close();
    }
  }

  test("scrolled out of view (IntersectionObserver) the stream pauses, scrolled back it resumes", async () => {
    await pausesWhile(
      (host) => host.evaluate("window.scrollTo(0, 2000)"),
      (host) => host.evaluate("window.scrollTo(0, 0)"),
    );
  });

  test("while its document is hidden the stream pauses, visible again it resumes", async () => {
    // Headless Chromium keeps every tab visible, so the page's document.hidden is overridden and the event fired, as
    // a browser does when the tab goes to the background.
    const setHidden = (hidden: boolean) => (_host: Page, frame: Frame) =>
      frame.evaluate(
        `Object.defineProperty(document, "hidden", { value: ${hidden}, configurable: true });
         document.dispatchEvent(new Event("visibilitychange"));`,
      );
    await pausesWhile(setHidden(true), setHidden(false));
  });
});

describe("typing through the interactive live-view page", () => {
  test("keys, insertText, an IME composition, Backspace, Enter and Ctrl+V paste each reach the remote input once", async () => {
    await withSession("/input", (target, targetPage) =>
      withSession("/animated", async (_host, hostPage) => {
        const src = encodeURIComponent(target.interactiveLiveViewUrl);
        await hostPage.goto(`${site.origin}/host?w=640&h=360&src=${src}`);
        const frame = await liveFrame(hostPage);
        await drawsAt(frame, 640, 360);
        await waitFor("the live state", async () => (await pageState(frame)) === "live");
        // A click focuses the remote input and, in the viewer, its hidden textarea.
        await hostPage.mouse.click(320, 180);
        await waitFor("the remote input focused", () => targetPage.evaluate("document.activeElement?.id === 'i'"));
        expect(await frame.evaluate("document.activeElement?.id")).toBe("keys");

        const value = () => targetPage.inputValue("#i");
        /** Waits for the remote input to hold `expected`, then checks it still does a moment later (no late doubles). */
        const holds = async (expected: string) => {
          await waitFor(
            `the remote input to hold ${JSON.stringify(expected)}`,
            async () => (await value()) === expected,
          );
          await sleep(300);
          expect(await value()).toBe(expected);
          // The viewer's textarea is emptied after each commit.
          expect(await frame.evaluate("document.getElementById('keys').value")).toBe("");
        };

        // (a) Plain keys: one character each.
        await hostPage.keyboard.type("abc");
        await holds("abc");

        // (b) Text without keys (Playwright's insertText, on-screen keyboards, emoji pickers).
        await hostPage.keyboard.insertText("é😀ü");
        await holds("abcé😀ü");

        // (c) An IME composition: nothing while it is composed, the committed text once.
        const cdp = await hostPage.context().newCDPSession(hostPage);
        try {
          await cdp.send("Input.imeSetComposition", { text: "に", selectionStart: 1, selectionEnd: 1 });
          await cdp.send("Input.imeSetComposition", { text: "にほん", selectionStart: 3, selectionEnd: 3 });
          expect(await frame.evaluate("document.getElementById('keys').value")).toBe("にほん");
          await sleep(300);
          expect(await value()).toBe("abcé😀ü");
          await cdp.send("Input.imeSetComposition", { text: "日本", selectionStart: 2, selectionEnd: 2 });
          await cdp.send("Input.insertText", { text: "日本" });
        } finally {
          await cdp.detach().catch(() => undefined);
        }
        await holds("abcé😀ü日本");

        // (d) Backspace deletes one character, Enter submits the form.
        await hostPage.keyboard.press("Backspace");
        await holds("abcé😀ü日");
        await hostPage.keyboard.press("Enter");
        await waitFor(
          "the form submitted",
          async () => ((await targetPage.evaluate("window.submits.length")) as number) > 0,
        );
        await sleep(300);
        expect(await targetPage.evaluate("window.submits")).toEqual(["abcé😀ü日"]);
        // Typing after a composition is plain keys again.
        await hostPage.keyboard.type("x");
        await holds("abcé😀ü日x");

        // (e) Ctrl+V pastes the clipboard's text once.
        await hostPage.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.origin });
        await hostPage.evaluate("navigator.clipboard.writeText(' pasted')");
        await hostPage.keyboard.press("Control+V");
        await holds("abcé😀ü日x pasted");
      }),
    );
  });
});

/** A TCP forwarder to the emulator that can drop every connection, and refuse new ones while `refusing`. */
async function startDropProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let refusing = false;
  let connections = 0;
  let bytesToViewer = 0;
  const server: Server = createServer((client) => {
    connections++;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on("data", (chunk: Buffer) => {
      bytesToViewer += chunk.length;
    });
    upstream.connect(targetPort, "127.0.0.1", () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no proxy address");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    /** Bytes the emulator sent back through the proxy so far. */
    get bytesToViewer() {
      return bytesToViewer;
    },
    /** Drops every open connection (the live view's socket among them). */
    drop(refuse: boolean) {
      refusing = refuse;
      for (const socket of sockets) socket.destroy();
    },
    allow() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("the live-view page after a dropped socket", () => {
  test("shows reconnecting, posts it, reconnects and draws frames again; stops and shows the end once the session is gone", async () => {
    const proxy = await startDropProxy(emulator.port);
    try {
      await withSession("/animated", async (target) => {
        const viaProxy = target.liveViewUrl.replace(emulator.origin, proxy.origin);
        await withSession("/animated", async (_host, hostPage) => {
          await hostPage.goto(`${site.origin}/host?w=640&h=360&src=${encodeURIComponent(viaProxy)}`);
          const frame = await liveFrame(hostPage);
          await drawsAt(frame, 640, 360);
          expect(await received(hostPage)).toEqual(["connected"]);

          // Dropped, and the way back closed for a while: the page says so and keeps trying.
          proxy.drop(true);
          await waitFor("the reconnecting state", async () => (await pageState(frame)) === "reconnecting");
          expect(await frame.evaluate("document.getElementById('note').textContent")).toBe("Reconnecting…");
          expect(await frame.evaluate("document.getElementById('note').hidden")).toBe(false);
          await waitFor("reconnecting posted", async () => (await received(hostPage)).includes("reconnecting"));
          const tries = proxy.connections;
          await waitFor("another attempt", () => proxy.connections > tries + 1, 10_000);

          proxy.allow();
          await waitFor("connected again", async () => (await received(hostPage)).length >= 3, 15_000);
          expect(await received(hostPage)).toEqual(["connected", "reconnecting", "connected"]);
          expect(await pageState(frame)).toBe("live");
          const drawn = await frameCount(frame);
          await waitFor("frames after reconnecting", async () => (await frameCount(frame)) >= drawn + 5);
          await drawsAt(frame, 640, 360);

          // A plain drop reconnects at once (the first retry waits about 250 ms).
          const start = Date.now();
          proxy.drop(false);
          await waitFor("connected after a plain drop", async () => (await received(hostPage)).length >= 5);
          expect(Date.now() - start).toBeLessThan(5000);
          expect(await received(hostPage)).toEqual([
            "connected",
            "reconnecting",
            "connected",
            "reconnecting",
            "connected",
          ]);

          // The session ends while the page is cut off: back online, it learns so and stops trying.
          proxy.drop(true);
          await waitFor("reconnecting again", async () => (await pageState(frame)) === "reconnecting");
          expect((await call(emulator, "DELETE", `/interact/${target.id}`)).status).toBe(200);
          proxy.allow();
          await waitFor("the ended state", async () => (await pageState(frame)) === "ended", 15_000);
          expect(await frame.evaluate("document.getElementById('note').textContent")).toBe("Session ended");
          expect((await received(hostPage)).at(-1)).toBe("ended");
          const settled = proxy.connections;
          await sleep(2000);
          expect(proxy.connections).toBe(settled);
        });
      });
    } finally {
      await proxy.close();
    }
  });
});
