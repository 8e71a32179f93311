import type { InteractApiError, InteractError } from "./errors.js";

/** The cleanup switches every lifecycle controller's configuration has. */
export interface LifecycleConfig {
  /** Stop when the owner detaches for good (unless `false`). */
  stopOnUnmount?: boolean | undefined;
  /** Stop with `keepalive` when the page is hidden for unload (unless `false`). */
  stopOnPageHide?: boolean | undefined;
}

/** What every lifecycle controller shows its owner (a hook or any UI): a store for `useSyncExternalStore`, and mounting. */
export interface Lifecycle<State, Config> {
  /** Replaces the configuration read by later actions. */
  configure(config: Config): void;
  /** The current state (stable identity until the next change). */
  getState(): State;
  /** Registers a change listener; returns its removal. */
  subscribe(listener: () => void): () => void;
  /** Stops what runs with one `DELETE` however often it is called; never rejects. */
  stop(): Promise<void>;
  /** Marks the owner as mounted: listens for `pagehide`. */
  attach(): void;
  /** Marks the owner as unmounted; a real unmount (not StrictMode's simulated one) stops for good. */
  detach(): void;
}

/** Replaces a controller's state with `next` over `base` (by default the current state) and notifies its listeners. */
export type SetState<State> = (next: Partial<State>, base?: State) => void;

/**
 * What {@link createLifecycle} hands its controller, in the order a controller destructures it (like `useState`): the
 * methods for the owner, the state setter, and readers of the current state and configuration.
 */
export type LifecycleParts<State, Config> = readonly [
  controls: Lifecycle<State, Config>,
  set: SetState<State>,
  state: () => State,
  config: () => Config,
];

/**
 * Creates the lifecycle plumbing every controller shares: state and listeners, configuration, one `stop` for the
 * owner, and attach/detach, which listens for `pagehide` while attached (a `keepalive` stop, unless `stopOnPageHide`
 * is `false`) and stops on a real unmount (unless `stopOnUnmount` is `false`). A `detach` is undone by an `attach` in
 * the same task (StrictMode unmounts and remounts synchronously), so only a real unmount stops.
 * `onMount` hears `true` on every attach and `false` once the owner is really gone, before that stop.
 */
export const createLifecycle = <State, Config extends LifecycleConfig>(
  state: State,
  config: Config,
  stop: (keepalive?: boolean) => Promise<void>,
  onMount: (mounted: boolean) => void,
): LifecycleParts<State, Config> => {
  const listeners = new Set<() => void>();
  let attached = false;
  const onPageHide = () => {
    if (config.stopOnPageHide !== false) stop(true);
  };
  const getState = () => state;
  const controls: Lifecycle<State, Config> = {
    configure: (next) => {
      config = next;
    },
    getState,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => stop(),
    attach: () => {
      attached = true;
      // Optional calls: there is no global event target outside browsers (SSR, test renderers, React Native).
      globalThis.addEventListener?.("pagehide", onPageHide);
      onMount(true);
    },
    detach: () => {
      attached = false;
      queueMicrotask(() => {
        if (attached) return;
        globalThis.removeEventListener?.("pagehide", onPageHide);
        onMount(false);
        if (config.stopOnUnmount !== false) stop();
      });
    },
  };
  const set: SetState<State> = (next, base = state) => {
    state = { ...base, ...next };
    for (const listener of listeners) listener();
  };
  return [controls, set, getState, () => config];
};

/** True for a 404 or 410 answer: what was to be stopped is already gone, which is what stopping wanted. */
export const isGone = (error: InteractError): boolean => [404, 410].includes((error as InteractApiError).status);
