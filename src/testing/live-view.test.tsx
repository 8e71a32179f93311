import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LiveView, type LiveViewState } from "../react/live-view.js";
import { createFakeFirecrawl } from "./fake-firecrawl.js";

afterEach(cleanup);

const announced = () => screen.getByRole("status").textContent;

describe("fake.liveView(): <LiveView> in jsdom sees the states a browser shows", () => {
  it("connect, reconnecting, connect, disconnect: each state reported once, as the viewer page posts them", async () => {
    const fake = createFakeFirecrawl();
    const session = await fake.client.createSession();
    const states: LiveViewState[] = [];
    render(<LiveView session={session} interactive onStateChange={(state) => states.push(state)} />);
    expect(announced()).toBe("Connecting…");
    act(() => fake.liveView(session.id).connect());
    expect(announced()).toBe("Live view connected (interactive)");
    act(() => fake.liveView(session.id).reconnecting());
    expect(announced()).toBe("Reconnecting…");
    act(() => fake.liveView().connect());
    act(() => fake.liveView().disconnect());
    expect(announced()).toBe("Live view disconnected");
    expect(states).toEqual(["loading", "live", "reconnecting", "live", "disconnected"]);
  });

  it("posts from the view's own iframe and origin only: another session's view and a foreign page stay as they are", async () => {
    const fake = createFakeFirecrawl();
    const [mine, other] = [await fake.client.createSession(), await fake.client.createSession()];
    const foreign = { id: mine.id, liveViewUrl: "https://elsewhere.example/live/x?token=1" };
    render(
      <>
        <LiveView session={mine} title="mine" />
        <LiveView session={other} title="other" />
        <LiveView session={foreign} title="foreign" />
      </>,
    );
    act(() => fake.liveView(mine.id).connect());
    const stateOf = (title: string) => screen.getByTitle(title).parentElement?.getAttribute("data-state");
    expect([stateOf("mine"), stateOf("other"), stateOf("foreign")]).toEqual(["live", "loading", "loading"]);
    expect(fake.liveView(mine.id).frames()).toEqual([screen.getByTitle("mine")]);
  });

  it("says ended on its own when the session ends: a delete from elsewhere, then expiry", async () => {
    let now = 0;
    const fake = createFakeFirecrawl({ now: () => now });
    const [deleted, expiring] = [await fake.client.createSession(), await fake.client.createSession({ ttl: 30 })];
    render(
      <>
        <LiveView session={deleted} title="deleted" />
        <LiveView session={expiring} title="expiring" />
      </>,
    );
    act(() => fake.liveView(deleted.id).connect());
    await act(() => fake.client.deleteSession(deleted.id as string));
    expect(screen.queryByTitle("deleted")).toBeNull();
    expect(screen.getAllByRole("status").map((status) => status.textContent)).toEqual(["Session ended", "Connecting…"]);
    now = 30_000;
    // Expiry is applied when the fake is next asked (any request, sessions(), liveView()).
    act(() => void fake.sessions());
    expect(screen.getAllByRole("status").map((status) => status.textContent)).toEqual([
      "Session ended",
      "Session ended",
    ]);
    expect(() => fake.liveView(expiring.id).connect()).toThrow(
      `fake.liveView("${expiring.id}").connect(): the session ended, so its viewer can only end()`,
    );
  });

  it("end() ends a running session as another tab's delete would, so the next call is a 410", async () => {
    const fake = createFakeFirecrawl();
    const session = await fake.client.createSession();
    render(<LiveView session={session} />);
    act(() => fake.liveView(session.id).end());
    expect(announced()).toBe("Session ended");
    expect(fake.sessions()).toMatchObject([{ status: "destroyed", endReason: "deleted" }]);
    await expect(fake.client.execute(session.id as string, { code: "1" })).rejects.toMatchObject({ status: 410 });
  });

  it("drives a scrape's browser by scrapeId", async () => {
    const fake = createFakeFirecrawl({ pages: { "https://shop.example/": { markdown: "# Shop" } } });
    const { data } = await fake.client.scrape({ url: "https://shop.example/" });
    const run = await fake.client.interact(data.metadata.scrapeId, { code: "1" });
    render(<LiveView session={{ liveViewUrl: run.liveViewUrl ?? undefined }} />);
    act(() => fake.liveView(data.metadata.scrapeId).connect());
    expect(announced()).toBe("Live view connected (view only)");
  });

  it("throws, naming the id, when no <LiveView> shows the session or no such session exists", async () => {
    const fake = createFakeFirecrawl();
    expect(() => fake.liveView()).toThrow("fake.liveView(): no session was created yet");
    const { id } = await fake.client.createSession();
    expect(() => fake.liveView(id).connect()).toThrow(
      `fake.liveView("${id}"): no <LiveView> iframe shows this session's live-view URL`,
    );
    expect(() => fake.liveView("nope").connect()).toThrow(
      'fake.liveView("nope"): no session or scrape browser has this id',
    );
  });

  it("works under vi.useFakeTimers(): nothing it does waits on a timer", async () => {
    vi.useFakeTimers();
    try {
      const fake = createFakeFirecrawl();
      const session = await fake.client.createSession({ ttl: 60 });
      render(<LiveView session={session} />);
      act(() => fake.liveView().connect());
      expect(announced()).toBe("Live view connected (view only)");
      act(() => vi.advanceTimersByTime(60_000));
      act(() => void fake.sessions());
      expect(announced()).toBe("Session ended");
    } finally {
      vi.useRealTimers();
    }
  });
});
