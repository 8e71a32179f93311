"use client";

import { useEffect, useSyncExternalStore } from "react";
import type { Lifecycle } from "../core/lifecycle.js";

/**
 * The wiring every lifecycle hook shares: the latest config reaches the controller after every render, it is attached
 * while the component is mounted, and its state is read with `useSyncExternalStore` (the same on the server).
 */
export const useController = <State, Config>(controller: Lifecycle<State, Config>, config: Config): State => {
  // A passive effect (no server-render warning) is soon enough: React flushes it before the next event or effect.
  useEffect(() => controller.configure(config));
  useEffect(() => {
    controller.attach();
    return controller.detach;
  }, [controller]);
  return useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
};
