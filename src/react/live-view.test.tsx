import { act, cleanup, configure, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LIVE_VIEW_ALLOW, LIVE_VIEW_SANDBOX, LiveView, type LiveViewSession, type LiveViewState } from "./live-view.js";
import { InteractProvider } from "./provider.js";
import { fakeInteractApi } from "./test-helpers/fake-interact-api.js";
import { useInteractSession } from "./use-interact-session.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(cleanup);

const LIVE = "https://live.example.dev/view/s1?token=abc";
const SESSION: LiveViewSession = { id: "s1", liveViewUrl: LIVE, interactiveLiveViewUrl: `${LIVE}&interactive=true` };

const iframe = () => document.querySelector("iframe");
const announced = () => screen.getByRole("status").textContent;

/** Posts a live-view message to the window as if it came from `source` on `origin`. */
function post(data: unknown, origin: string, source: Window | null = iframe()?.contentWindow ?? null) {
  act(() => {
    window.dispatchEvent(new MessageEvent("message", { data, origin, source }));
  });
}
const message = (type: string, sessionId = "s1") => ({ source: "firecrawl-interact", type, sessionId });

describe("LiveView URL allow-list", () => {
  const table: { url: string; allowed: boolean }[] = [
    { url: "https://live.example.dev/view?token=1", allowed: true },
    { url: "http://localhost:3002/live/abc", allowed: true },
    { url: "http://127.0.0.1:3002/live/abc", allowed: true },
    { url: "http://[::1]:3002/live/abc", allowed: true },
    { url: "http://evil.com/live", allowed: false },
    { url: "http://localhost.evil.com/live", allowed: false },
    { url: "http://127.0.0.1.evil.com/live", allowed: false },
    { url: "javascript:alert(1)", allowed: false },
    { url: "JavaScript:alert(document.cookie)", allowed: false },
    { url: "java\tscript:alert(1)", allowed: false },
    { url: "data:text/html,<script>alert(1)</script>", allowed: false },
    { url: "ftp://127.0.0.1/live", allowed: false },
    { url: "blob:https://live.example.dev/1234", allowed: false },
    { url: "/live/relative", allowed: false },
    { url: "//evil.com/live", allowed: false },
    { url: "https://", allowed: false },
  ];

  for (const { url, allowed } of table) {
    it(`${allowed ? "frames" : "refuses"} ${JSON.stringify(url)}`, () => {
      const onStateChange = vi.fn();
      render(<LiveView session={{ id: "s1", liveViewUrl: url }} onStateChange={onStateChange} />);
      if (allowed) {
        expect(iframe()?.getAttribute("src")).toBe(new URL(url).href);
        expect(onStateChange.mock.calls).toEqual([["loading"]]);
      } else {
        expect(iframe()).toBeNull();
        expect(document.querySelector("[data-state]")?.getAttribute("data-state")).toBe("error");
        expect(announced()).toBe("Live view blocked: not an https or localhost URL");
        expect(onStateChange.mock.calls).toEqual([["error"]]);
      }
    });
  }

  it("refuses an unsafe interactive URL even when the read-only one is safe", () => {
    render(<LiveView session={{ ...SESSION, interactiveLiveViewUrl: "javascript:alert(1)" }} interactive />);
    expect(iframe()).toBeNull();
    expect(document.querySelector("[data-state]")?.getAttribute("data-state")).toBe("error");
  });
});

describe("LiveView iframe", () => {
  it("is sandboxed, sends no referrer, allows clipboard and fullscreen, and has a unique title", () => {
    render(
      <>
        <LiveView session={SESSION} />
        <LiveView session={SESSION} />
      </>,
    );
    const frames = [...document.querySelectorAll("iframe")];
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame.getAttribute("sandbox")).toBe("allow-scripts allow-same-origin");
      expect(frame.getAttribute("referrerpolicy")).toBe("no-referrer");
      expect(frame.getAttribute("allow")).toBe("clipboard-read; clipboard-write; fullscreen");
      expect(frame.title).toMatch(/^Live browser view \w+$/);
    }
    expect(LIVE_VIEW_SANDBOX).toBe("allow-scripts allow-same-origin");
    expect(LIVE_VIEW_ALLOW).toBe("clipboard-read; clipboard-write; fullscreen");
    expect(frames[0]?.title).not.toBe(frames[1]?.title);
  });

  it("uses a given title verbatim, keeps the aspect ratio, and forwards className and style", () => {
    const { container } = render(
      <LiveView
        session={SESSION}
        title="Checkout bot"
        aspectRatio={4 / 3}
        className="view"
        style={{ maxWidth: 640 }}
      />,
    );
    expect(iframe()?.title).toBe("Checkout bot");
    const box = container.firstElementChild as HTMLElement;
    expect(box.className).toBe("view");
    expect(box.style.maxWidth).toBe("640px");
    expect(box.getAttribute("style")).toContain(`aspect-ratio: ${4 / 3}`);
  });

  it("the fullscreen button asks the container, not the iframe, to go full screen", () => {
    const requestFullscreen = vi.fn(function (this: Element) {
      return Promise.resolve();
    });
    const original = HTMLElement.prototype.requestFullscreen;
    HTMLElement.prototype.requestFullscreen = requestFullscreen;
    try {
      const { container, rerender } = render(<LiveView session={SESSION} />);
      expect(screen.queryByRole("button", { name: "Full screen" })).toBeNull();
      rerender(<LiveView session={SESSION} allowFullscreen />);
      fireEvent.click(screen.getByRole("button", { name: "Full screen" }));
      expect(requestFullscreen).toHaveBeenCalledTimes(1);
      expect(requestFullscreen.mock.contexts[0]).toBe(container.firstElementChild);
    } finally {
      HTMLElement.prototype.requestFullscreen = original;
    }
  });
});

describe("LiveView states", () => {
  it("announces every state in a polite live region and reports each change once", () => {
    const states: LiveViewState[] = [];
    const onStateChange = (state: LiveViewState) => states.push(state);
    const { rerender } = render(<LiveView session={null} onStateChange={onStateChange} />);
    const region = screen.getByRole("status");
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(announced()).toBe("No live session");

    rerender(<LiveView session={null} status="creating" onStateChange={onStateChange} />);
    expect(announced()).toBe("Connecting…");

    rerender(<LiveView session={SESSION} status="live" onStateChange={onStateChange} />);
    expect(announced()).toBe("Connecting…");
    const origin = new URL(LIVE).origin;
    post(message("connected"), origin);
    expect(announced()).toBe("Live view connected (view only)");
    post(message("disconnected"), origin);
    expect(announced()).toBe("Live view disconnected");
    expect(iframe()).not.toBeNull();
    post(message("connected"), origin);
    post(message("ended"), origin);
    expect(announced()).toBe("Session ended");
    expect(iframe()).toBeNull();

    rerender(<LiveView session={SESSION} status="expired" onStateChange={onStateChange} />);
    expect(announced()).toBe("Session expired");
    expect(iframe()).toBeNull();

    rerender(<LiveView session={{ id: "s2", liveViewUrl: "" }} onStateChange={onStateChange} />);
    expect(announced()).toBe("Live view disabled");
    expect(iframe()).toBeNull();

    rerender(<LiveView session={{ id: "s3", liveViewUrl: "data:text/html,x" }} onStateChange={onStateChange} />);
    expect(announced()).toBe("Live view blocked: not an https or localhost URL");
    expect(states).toEqual(["idle", "loading", "live", "disconnected", "live", "ended", "disabled", "error"]);
  });

  it("shows the ended overlay instead of a frame for `ended` status and for destroyed list entries", () => {
    const { rerender } = render(<LiveView session={SESSION} status="ended" />);
    expect(iframe()).toBeNull();
    expect(document.querySelector("[data-overlay]")?.textContent).toBe("Session ended");
    rerender(<LiveView session={{ ...SESSION, status: "destroyed" }} />);
    expect(iframe()).toBeNull();
    expect(announced()).toBe("Session ended");
  });

  it("renders the fallback when there is no session", () => {
    render(<LiveView session={null} fallback={<button type="button">Start a browser</button>} />);
    expect(screen.getByRole("button", { name: "Start a browser" })).toBeTruthy();
    expect(announced()).toBe("No live session");
  });

  it("treats the iframe load as live when the page posts nothing, but lets the page's messages win", () => {
    const { rerender } = render(<LiveView session={SESSION} />);
    fireEvent.load(iframe() as HTMLIFrameElement);
    expect(announced()).toBe("Live view connected (view only)");
    rerender(<LiveView session={{ ...SESSION, liveViewUrl: `${LIVE}&v=2` }} />);
    expect(announced()).toBe("Connecting…");
    post(message("disconnected"), new URL(LIVE).origin);
    fireEvent.load(iframe() as HTMLIFrameElement);
    expect(announced()).toBe("Live view disconnected");
  });
});

describe("LiveView reconnecting", () => {
  const origin = new URL(LIVE).origin;

  it("reports reconnecting while the page gets its socket back, keeps the frame, and goes live again", () => {
    const states: LiveViewState[] = [];
    render(<LiveView session={SESSION} status="live" interactive onStateChange={(state) => states.push(state)} />);
    post(message("connected"), origin);
    const src = iframe()?.getAttribute("src");
    post(message("reconnecting"), origin);
    expect(announced()).toBe("Reconnecting…");
    expect(document.querySelector("[data-state]")?.getAttribute("data-state")).toBe("reconnecting");
    // The same iframe stays (the page reconnects itself), under an overlay that never takes the pointer.
    expect(iframe()?.getAttribute("src")).toBe(src);
    const overlay = document.querySelector<HTMLElement>("[data-overlay]");
    expect(overlay?.getAttribute("data-overlay")).toBe("reconnecting");
    expect(overlay?.style.pointerEvents).toBe("none");
    // Repeated reports of the same state are one change.
    post(message("reconnecting"), origin);
    post(message("connected"), origin);
    expect(announced()).toBe("Live view connected (interactive)");
    expect(states).toEqual(["loading", "live", "reconnecting", "live"]);
  });

  it("goes from loading to reconnecting when the first connection fails, then to disconnected and back", () => {
    const states: LiveViewState[] = [];
    render(<LiveView session={SESSION} onStateChange={(state) => states.push(state)} />);
    post(message("reconnecting"), origin);
    post(message("disconnected"), origin);
    expect(announced()).toBe("Live view disconnected");
    expect(iframe()).not.toBeNull();
    post(message("reconnecting"), origin);
    post(message("connected"), origin);
    expect(states).toEqual(["loading", "reconnecting", "disconnected", "reconnecting", "live"]);
  });

  it("stops at ended: the page gave up because the session is gone, and the frame is removed", () => {
    const states: LiveViewState[] = [];
    render(<LiveView session={SESSION} onStateChange={(state) => states.push(state)} />);
    post(message("connected"), origin);
    post(message("reconnecting"), origin);
    post(message("ended"), origin);
    expect(announced()).toBe("Session ended");
    expect(iframe()).toBeNull();
    expect(states).toEqual(["loading", "live", "reconnecting", "ended"]);
  });

  it("ignores a reconnecting message from another session or origin", () => {
    render(<LiveView session={SESSION} />);
    post(message("connected"), origin);
    post(message("reconnecting", "someone-else"), origin);
    post(message("reconnecting"), "https://evil.example");
    expect(announced()).toBe("Live view connected (view only)");
  });

  it("a new URL while reconnecting starts at loading again", () => {
    const { rerender } = render(<LiveView session={SESSION} />);
    post(message("reconnecting"), origin);
    rerender(<LiveView session={{ ...SESSION, liveViewUrl: `${LIVE}&v=2` }} />);
    expect(announced()).toBe("Connecting…");
  });
});

describe("LiveView messages", () => {
  const origin = new URL(LIVE).origin;

  it("ignores messages from a foreign origin, from another window, for another session, or of another shape", () => {
    render(<LiveView session={SESSION} />);
    post(message("connected"), "https://evil.example");
    post(message("connected"), "http://live.example.dev");
    post(message("connected"), origin, window);
    post(message("connected"), origin, null);
    post(message("connected", "someone-else"), origin);
    post({ source: "other-widget", type: "connected" }, origin);
    post({ source: "firecrawl-interact", type: "teleported" }, origin);
    post("connected", origin);
    expect(announced()).toBe("Connecting…");
    post(message("connected"), origin);
    expect(announced()).toBe("Live view connected (view only)");
  });
});

/** A session with a read-only ↔ interactive toggle, as an app would build it. */
function Playground() {
  const session = useInteractSession({ autoStart: true });
  const [interactive, setInteractive] = useState(false);
  return (
    <>
      <span data-testid="id">{session.session?.id ?? ""}</span>
      <button type="button" onClick={() => setInteractive((value) => !value)}>
        toggle
      </button>
      <LiveView session={session.session} status={session.status} interactive={interactive} />
    </>
  );
}

describe("LiveView interactive toggle", () => {
  it("switches the iframe between the read-only and interactive URLs of the same session, with no new POST", async () => {
    const api = fakeInteractApi();
    render(
      <InteractProvider client={api.client}>
        <Playground />
      </InteractProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("id").textContent).toBe("sess_1"));
    const readOnly = "http://127.0.0.1:1/live/sess_1?token=t-sess_1";
    expect(iframe()?.getAttribute("src")).toBe(readOnly);
    post(message("connected", "sess_1"), "http://127.0.0.1:1");
    expect(announced()).toBe("Live view connected (view only)");

    fireEvent.click(screen.getByRole("button", { name: "toggle" }));
    expect(iframe()?.getAttribute("src")).toBe(`${readOnly}&interactive=true`);
    expect(announced()).toBe("Connecting…");
    post(message("connected", "sess_1"), "http://127.0.0.1:1");
    expect(announced()).toBe("Live view connected (interactive)");

    fireEvent.click(screen.getByRole("button", { name: "toggle" }));
    expect(iframe()?.getAttribute("src")).toBe(readOnly);
    expect(screen.getByTestId("id").textContent).toBe("sess_1");
    expect(api.count("POST")).toBe(1);
    expect(api.count("DELETE")).toBe(0);
  });

  it("derives the interactive URL from liveViewUrl when interactiveLiveViewUrl is absent", () => {
    render(<LiveView session={{ id: "s1", liveViewUrl: LIVE }} interactive />);
    expect(iframe()?.getAttribute("src")).toBe(`${LIVE}&interactive=true`);
  });
});
