"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { InteractClient } from "../client/index.js";

const InteractClientContext = createContext<InteractClient | null>(null);

/** Props of {@link InteractProvider}. */
export interface InteractProviderProps {
  /** The client every hook below uses; in a browser, point it at your proxy route, never at Firecrawl with a key. */
  client: InteractClient;
  /** The part of the app that uses the hooks. */
  children?: ReactNode;
}

/** Gives the hooks and components below it an interact client (no global singleton). */
export const InteractProvider = ({ client, children }: InteractProviderProps) => {
  // `.Provider` rather than React 19's `<Context>` shorthand keeps React 18.3 working.
  return <InteractClientContext.Provider value={client}>{children}</InteractClientContext.Provider>;
};

/** Returns `client` when given, else the one from the nearest {@link InteractProvider}; throws when there is none. */
export const useInteractClient = (client?: InteractClient): InteractClient => {
  const provided = useContext(InteractClientContext);
  const resolved = client ?? provided;
  if (!resolved) {
    throw new Error("firecrawl-interact: no client (use <InteractProvider> or the client option)");
  }
  return resolved;
};
