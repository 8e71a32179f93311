import { rmSync } from "node:fs";

// An emulator embedded in another program (a Vite dev server, a test runner) must not outlive it. Ctrl-C with no
// listener ends Node without its "exit" event, and every Chromium runs in a process group of its own, so it would
// keep running with its temp profile on disk. One listener per signal serves every open emulator of the process;
// it closes them, then lets the signal do what it would have done.

/** The signals an embedded emulator closes on. */
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Longest wait for the emulators to close before the signal is raised again anyway. */
const CLOSE_LIMIT_MS = 5_000;

interface SignalState {
  /** The close of every open emulator that closes on signals. */
  readonly closers: Set<() => Promise<void>>;
  readonly listener: (signal: NodeJS.Signals) => void;
}

// Shared through the global registry, so two copies of this module (two installs, a test runner's module graphs)
// keep one listener: two would each see the other, take it for the host's own, and never raise the signal again.
const STATE = Symbol.for("firecrawl-interact-emulator.host-signals");

function signalState(): SignalState {
  const holder = globalThis as typeof globalThis & { [STATE]?: SignalState };
  holder[STATE] ??= { closers: new Set(), listener: onSignal };
  return holder[STATE];
}

function onSignal(signal: NodeJS.Signals): void {
  const state = signalState();
  // Our listener runs first (it is prepended): any other one still registered is the host's own handling.
  const hostHandlesIt = process.listenerCount(signal) > 1;
  const closers = [...state.closers];
  state.closers.clear();
  // No listener left while closing: a second Ctrl-C ends the process at once.
  for (const name of SIGNALS) process.off(name, state.listener);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, CLOSE_LIMIT_MS);
  });
  void Promise.race([Promise.allSettled(closers.map((close) => close())), limit]).then(() => {
    clearTimeout(timer);
    // Nobody else handles it: raised again with no listener, it ends the process as it would have.
    if (!hostHandlesIt) process.kill(process.pid, signal);
  });
}

/**
 * Closes an emulator on SIGINT and SIGTERM, then raises the signal again unless the host has a listener of its own
 * (which then decides, as the CLI and Vite do). Returns the function that stops watching.
 */
export function closeOnSignals(close: () => Promise<void>): () => void {
  const state = signalState();
  if (state.closers.size === 0) {
    for (const name of SIGNALS) process.prependListener(name, state.listener);
  }
  state.closers.add(close);
  return () => {
    if (!state.closers.delete(close) || state.closers.size > 0) return;
    for (const name of SIGNALS) process.off(name, state.listener);
  };
}

/**
 * Removes the browsers' temp dirs if the host exits while they exist (a `process.exit()` in the host's own signal
 * handler, before the close finished); the launcher has already SIGKILLed the browsers by then. Returns the function
 * that stops watching.
 */
export function removeDirsOnExit(dirs: () => readonly string[]): () => void {
  const remove = () => {
    for (const dir of dirs()) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // A dir a dying browser still writes to: nothing more can be done on the way out.
      }
    }
  };
  process.once("exit", remove);
  return () => {
    process.off("exit", remove);
  };
}
