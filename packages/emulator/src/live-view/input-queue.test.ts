import type { LiveViewInput } from "firecrawl-interact/core";
import { describe, expect, test } from "vitest";
import { INPUT_QUEUE_LIMITS, InputQueue, type InputQueueLimits } from "./input-queue.js";

const mouse = (action: "mousePressed" | "mouseReleased" | "mouseMoved", x: number, y: number): LiveViewInput => ({
  type: "mouse",
  action,
  x,
  y,
  button: action === "mouseMoved" ? "none" : "left",
  buttons: action === "mousePressed" ? 1 : 0,
  clickCount: action === "mouseMoved" ? 0 : 1,
  modifiers: 0,
});
const move = (x: number, y = x) => mouse("mouseMoved", x, y);
const press = (x: number, y = x) => mouse("mousePressed", x, y);
const release = (x: number, y = x) => mouse("mouseReleased", x, y);
const wheel = (deltaY: number, x = 0, modifiers = 0): LiveViewInput => ({
  type: "wheel",
  x,
  y: x,
  deltaX: 0,
  deltaY,
  modifiers,
});
const key = (name: string, action: "keyDown" | "keyUp" = "keyDown"): LiveViewInput => ({
  type: "key",
  action,
  key: name,
  code: `Key${name.toUpperCase()}`,
  keyCode: name.toUpperCase().charCodeAt(0),
  text: action === "keyDown" ? name : "",
  modifiers: 0,
});
const text = (value: string): LiveViewInput => ({ type: "text", text: value });

/** Taking the next entry for dispatch, between two pushes (as the dispatcher does when the page acked). */
const TAKE = "take";
type Step = LiveViewInput | typeof TAKE;

/** Pushes and takes `steps` in order, then takes the rest: what was dispatched, in order, and what was refused. */
function run(steps: readonly Step[], limits?: InputQueueLimits) {
  const queue = new InputQueue(limits);
  const dispatched: LiveViewInput[] = [];
  const refused: LiveViewInput[] = [];
  for (const step of steps) {
    if (step === TAKE) {
      const next = queue.shift();
      if (next) dispatched.push(next);
    } else if (!queue.push(step)) {
      refused.push(step);
    }
  }
  for (let next = queue.shift(); next; next = queue.shift()) dispatched.push(next);
  return { dispatched, refused };
}

describe("InputQueue: coalescing (sequence in → dispatched sequence out)", () => {
  const cases: { name: string; steps: Step[]; dispatched: LiveViewInput[] }[] = [
    { name: "nothing in, nothing out", steps: [], dispatched: [] },
    { name: "waiting moves collapse to the last position", steps: [move(1), move(2), move(3)], dispatched: [move(3)] },
    {
      name: "a move already taken is not merged into: only the ones waiting after it collapse",
      steps: [move(1), TAKE, move(2), move(3), move(4)],
      dispatched: [move(1), move(4)],
    },
    {
      name: "moves never jump across a press or a release: each run collapses on its own side",
      steps: [move(1), move(2), press(2), move(3), move(4), release(4), move(5), move(6)],
      dispatched: [move(2), press(2), move(4), release(4), move(6)],
    },
    {
      name: "presses and releases are kept one for one, even back to back at one point",
      steps: [press(5), release(5), press(5), release(5)],
      dispatched: [press(5), release(5), press(5), release(5)],
    },
    {
      name: "moves around keys and text collapse between them; keys and text keep their order",
      steps: [move(1), key("a"), key("a", "keyUp"), move(2), move(3), text("hi"), move(4), key("b")],
      dispatched: [move(1), key("a"), key("a", "keyUp"), move(3), text("hi"), move(4), key("b")],
    },
    {
      name: "waiting wheels add up at the newest position",
      steps: [wheel(10, 1), wheel(-4, 2), wheel(30, 3)],
      dispatched: [wheel(36, 3)],
    },
    {
      name: "wheels with other modifiers (Ctrl+wheel zooms) are not added to plain ones",
      steps: [wheel(10), wheel(5), wheel(100, 0, 2), wheel(1, 0, 2), wheel(7)],
      dispatched: [wheel(15), wheel(101, 0, 2), wheel(7)],
    },
    {
      name: "wheels are not added across a move, a press or a wheel already taken",
      steps: [wheel(1), move(1), wheel(2), press(1), wheel(3), TAKE, TAKE, TAKE, TAKE, TAKE, wheel(4)],
      dispatched: [wheel(1), move(1), wheel(2), press(1), wheel(3), wheel(4)],
    },
    {
      name: "a move and a wheel alternating keep every entry (nothing to merge)",
      steps: [move(1), wheel(1), move(2), wheel(2)],
      dispatched: [move(1), wheel(1), move(2), wheel(2)],
    },
    {
      name: "10,000 moves while one is in flight dispatch as two",
      steps: [move(0), TAKE, ...Array.from({ length: 10_000 }, (_, i) => move(i + 1)), press(7)],
      dispatched: [move(0), move(10_000), press(7)],
    },
  ];
  test.each(cases)("$name", ({ steps, dispatched }) => {
    expect(run(steps)).toEqual({ dispatched, refused: [] });
  });
});

describe("InputQueue: bounds", () => {
  const SMALL: InputQueueLimits = { dropMovesAbove: 3, maxEntries: 5, maxTextChars: 10 };
  const cases: { name: string; steps: Step[]; dispatched: LiveViewInput[]; refused?: LiveViewInput[] }[] = [
    {
      name: "past dropMovesAbove the oldest waiting move is dropped for each new entry",
      steps: [move(1), key("a"), move(2), key("b"), move(3), key("c")],
      // key(b) drops move(1); move(3) drops move(2); key(c) drops move(3).
      dispatched: [key("a"), key("b"), key("c")],
    },
    {
      name: "a move merged into the waiting last move takes no room",
      steps: [key("a"), key("b"), move(1), move(2), move(3)],
      dispatched: [key("a"), key("b"), move(3)],
    },
    {
      name: "with no move left to drop, entries other than moves wait up to maxEntries; a new move is dropped",
      steps: [press(1), release(1), key("a"), move(9), key("b"), wheel(3), move(8)],
      // move(9) is dropped (nothing older to drop), key(b) and wheel(3) fill up to 5, move(8) is dropped.
      dispatched: [press(1), release(1), key("a"), key("b"), wheel(3)],
    },
    {
      name: "past maxEntries a press, key, wheel or text is refused, never dropped silently",
      steps: [key("a"), key("b"), key("c"), key("d"), key("e"), press(1), key("f"), wheel(1), text("x")],
      dispatched: [key("a"), key("b"), key("c"), key("d"), key("e")],
      refused: [press(1), key("f"), wheel(1), text("x")],
    },
    {
      name: "a wheel still merges into a waiting wheel when the queue is full",
      steps: [key("a"), key("b"), key("c"), key("d"), wheel(1), wheel(2)],
      dispatched: [key("a"), key("b"), key("c"), key("d"), wheel(3)],
    },
    {
      name: "taking entries makes room again",
      steps: [key("a"), key("b"), key("c"), key("d"), key("e"), key("f"), TAKE, key("g")],
      dispatched: [key("a"), key("b"), key("c"), key("d"), key("e"), key("g")],
      refused: [key("f")],
    },
    {
      name: "text waiting past maxTextChars is refused; taken text frees its characters",
      steps: [text("12345678"), text("abc"), text("ab"), TAKE, text("01234567"), text("z")],
      dispatched: [text("12345678"), text("ab"), text("01234567")],
      refused: [text("abc"), text("z")],
    },
  ];
  test.each(cases)("$name", ({ steps, dispatched, refused = [] }) => {
    expect(run(steps, SMALL)).toEqual({ dispatched, refused });
  });

  test("the live view's limits: 256 entries before moves are dropped, 1,024 before input is refused, 1 M characters", () => {
    expect(INPUT_QUEUE_LIMITS).toEqual({ dropMovesAbove: 256, maxEntries: 1024, maxTextChars: 1_000_000 });
    const queue = new InputQueue();
    for (let i = 0; i < 1024; i++) expect(queue.push(key("a", i % 2 ? "keyUp" : "keyDown"))).toBe(true);
    expect(queue.push(press(1))).toBe(false);
    expect(queue.push(move(1))).toBe(true);
    expect(queue.length).toBe(1024);
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.push(text("x".repeat(100_000)))).toBe(true);
  });
});
