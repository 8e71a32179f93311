import { afterEach, describe, expect, it, vi } from "vitest";
import { InteractApiError, InteractValidationError } from "./errors.js";
import { createLifecycle, isGone, type LifecycleConfig } from "./lifecycle.js";

interface Counter {
  readonly count: number;
  readonly label: string;
}

/** A lifecycle over a small state, recording every stop (with its keepalive flag) and every mount change. */
function setup(config: LifecycleConfig = {}) {
  const stops: (boolean | undefined)[] = [];
  const mounts: boolean[] = [];
  const stop = vi.fn(async (keepalive?: boolean) => {
    stops.push(keepalive);
  });
  const [controls, set, state, current] = createLifecycle<Counter, LifecycleConfig>(
    { count: 0, label: "idle" },
    config,
    stop,
    (mounted) => mounts.push(mounted),
  );
  return { controls, set, state, config: current, stop, stops, mounts };
}

/** Lets queued microtasks (the detach check) run. */
const microtasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Replaces the global event target with one that counts `pagehide` listeners, as a browser window would hold them. */
function fakeWindow() {
  const listeners = new Set<EventListener>();
  const add = vi.fn((type: string, listener: EventListener) => {
    if (type === "pagehide") listeners.add(listener);
  });
  const remove = vi.fn((type: string, listener: EventListener) => {
    if (type === "pagehide") listeners.delete(listener);
  });
  vi.stubGlobal("addEventListener", add);
  vi.stubGlobal("removeEventListener", remove);
  const pagehide = () => {
    for (const listener of [...listeners]) listener(new Event("pagehide"));
  };
  return { listeners, add, remove, pagehide };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createLifecycle: the store", () => {
  it("replaces the state on every set, notifies each listener once per set, and stops after unsubscribe", () => {
    const { controls, set } = setup();
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribe = controls.subscribe(first);
    controls.subscribe(second);
    const before = controls.getState();
    set({ count: 1 });
    expect(controls.getState()).toEqual({ count: 1, label: "idle" });
    expect(controls.getState()).not.toBe(before);
    expect(before).toEqual({ count: 0, label: "idle" });
    set({ label: "busy" });
    expect([first.mock.calls.length, second.mock.calls.length]).toEqual([2, 2]);
    unsubscribe();
    set({ count: 2 });
    expect([first.mock.calls.length, second.mock.calls.length]).toEqual([2, 3]);
  });

  it("keeps the state's identity until the next set, and sets over a given base", () => {
    const { controls, set, state } = setup();
    expect(controls.getState()).toBe(controls.getState());
    expect(state()).toBe(controls.getState());
    set({ count: 5, label: "busy" });
    set({ label: "reset" }, { count: 0, label: "idle" });
    expect(controls.getState()).toEqual({ count: 0, label: "reset" });
  });

  it("configure replaces what later reads see", () => {
    const { controls, config } = setup({ stopOnUnmount: true });
    controls.configure({ stopOnUnmount: false });
    expect(config()).toEqual({ stopOnUnmount: false });
  });

  it("stop() calls the controller's stop with no keepalive and returns its promise", async () => {
    const { controls, stop, stops } = setup();
    await expect(controls.stop()).resolves.toBeUndefined();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stops).toEqual([undefined]);
  });
});

describe("createLifecycle: attach and detach", () => {
  it("a detach undone by an attach in the same task (StrictMode's simulated unmount) stops nothing", async () => {
    const { controls, stop, mounts } = setup();
    controls.attach();
    controls.detach();
    controls.attach();
    await microtasks();
    expect(stop).not.toHaveBeenCalled();
    expect(mounts).toEqual([true, true]);
  });

  it("a real detach stops once, after telling the controller it is unmounted", async () => {
    const { controls, stop, stops, mounts } = setup();
    controls.attach();
    controls.detach();
    expect(stop).not.toHaveBeenCalled();
    await microtasks();
    expect(stops).toEqual([undefined]);
    expect(mounts).toEqual([true, false]);
    await microtasks();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it("stopOnUnmount: false unmounts without stopping", async () => {
    const { controls, stop, mounts } = setup({ stopOnUnmount: false });
    controls.attach();
    controls.detach();
    await microtasks();
    expect(stop).not.toHaveBeenCalled();
    expect(mounts).toEqual([true, false]);
  });

  it("reads stopOnUnmount when the detach settles, so a configure after detach still counts", async () => {
    const { controls, stop } = setup();
    controls.attach();
    controls.detach();
    controls.configure({ stopOnUnmount: false });
    await microtasks();
    expect(stop).not.toHaveBeenCalled();
  });
});

describe("createLifecycle: pagehide", () => {
  it("listens while attached: added once per attach, removed once on a real detach, none left behind", async () => {
    const window = fakeWindow();
    const { controls } = setup();
    controls.attach();
    expect(window.add.mock.calls.filter(([type]) => type === "pagehide")).toHaveLength(1);
    expect(window.listeners.size).toBe(1);
    controls.detach();
    controls.attach();
    await microtasks();
    expect(window.remove).not.toHaveBeenCalled();
    expect(window.listeners.size).toBe(1);
    controls.detach();
    await microtasks();
    expect(window.remove.mock.calls.filter(([type]) => type === "pagehide")).toHaveLength(1);
    expect(window.listeners.size).toBe(0);
  });

  it("pagehide stops with keepalive while attached, and not at all with stopOnPageHide: false", () => {
    const window = fakeWindow();
    const { controls, stops } = setup();
    controls.attach();
    window.pagehide();
    expect(stops).toEqual([true]);
    controls.configure({ stopOnPageHide: false });
    window.pagehide();
    expect(stops).toEqual([true]);
  });

  it("without a global event target (SSR, React Native) attach and detach neither throw nor listen", async () => {
    expect(globalThis.addEventListener).toBeUndefined();
    const { controls, stop, mounts } = setup();
    expect(() => controls.attach()).not.toThrow();
    controls.detach();
    await microtasks();
    expect(mounts).toEqual([true, false]);
    expect(stop).toHaveBeenCalledTimes(1);
  });
});

describe("isGone", () => {
  const apiError = (status: number) => new InteractApiError({ status, message: `HTTP ${status}` });
  const table: { name: string; error: InteractApiError | InteractValidationError; gone: boolean }[] = [
    { name: "404", error: apiError(404), gone: true },
    { name: "410", error: apiError(410), gone: true },
    { name: "400", error: apiError(400), gone: false },
    { name: "500", error: apiError(500), gone: false },
    { name: "502", error: apiError(502), gone: false },
    { name: "a network error (status 0)", error: apiError(0), gone: false },
    { name: "a validation error", error: new InteractValidationError("sessionId", "pattern", "bad id"), gone: false },
  ];
  for (const { name, error, gone } of table) {
    it(`${name} is ${gone ? "" : "not "}gone`, () => {
      expect(isGone(error)).toBe(gone);
    });
  }
});
