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
  installed: boolean;
  /** Set while the emulators close after a signal. */
  closing: boolean;
  /** A signal came again while closing: a host handler sent it on (as Vite's does), or a second Ctrl-C. */
  resent: boolean;
}

// Shared through the global registry, so two copies of this module (two installs, a test runner's module graphs)
// keep one listener: two would each see the other, take it for the host's own, and never raise the signal again.
const STATE = Symbol.for("firecrawl-interact-emulator.host-signals");

function signalState(): SignalState {
  const holder = globalThis as typeof globalThis & { [STATE]?: SignalState };
  holder[STATE] ??= { closers: new Set(), listener: onSignal, installed: false, closing: false, resent: false };
  return holder[STATE];
}

function watch(state: SignalState, on: boolean): void {
  if (state.installed === on) return;
  state.installed = on;
  for (const name of SIGNALS) {
    if (on) process.prependListener(name, state.listener);
    else process.off(name, state.listener);
  }
}

// The listener stays while the emulators close, so a host listener that acts only when it is alone (signal-exit)
// waits, and a signal sent on meanwhile is noted rather than ending the process half-way through.
function onSignal(signal: NodeJS.Signals): void {
  const state = signalState();
  if (state.closing) {
    state.resent = true;
    return;
  }
  // Ours runs first (it is prepended): every other listener of the host is still registered here.
  const others = process.listeners(signal).filter((listener) => listener !== state.listener);
  const closers = [...state.closers];
  state.closers.clear();
  state.closing = true;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, CLOSE_LIMIT_MS);
  });
  void Promise.race([Promise.allSettled(closers.map((close) => close())), limit]).then(() => {
    clearTimeout(timer);
    // A host's one-time listener that ran and did not send the signal on is finishing the job itself (the CLI's,
    // Vite's SIGTERM exit); with no listener, one that sent it on, or one still there, the signal goes on.
    const raise =
      state.resent || others.length === 0 || others.some((listener) => process.listeners(signal).includes(listener));
    state.closing = false;
    state.resent = false;
    if (state.closers.size === 0) watch(state, false);
    if (raise) process.kill(process.pid, signal);
  });
}

/**
 * Closes an emulator on SIGINT and SIGTERM, then raises the signal again unless a host listener took it over (the
 * CLI's and Vite's exit themselves once the emulator is closed). Returns the function that stops watching.
 */
export function closeOnSignals(close: () => Promise<void>): () => void {
  const state = signalState();
  state.closers.add(close);
  watch(state, true);
  return () => {
    if (state.closers.delete(close) && state.closers.size === 0 && !state.closing) watch(state, false);
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
