/** What a session controller passes on after it created or ended a session: its client and its own callback. */
export interface SessionsChangeSource {
  /** The client the session was created or ended through. */
  readonly client: object;
  /** The controller's `onSessionsChange`, called first. */
  readonly onSessionsChange?: (() => void) | undefined;
}

const listeners = new Set<(client: object) => void>();

/**
 * Calls `listener` with the client whenever a session controller created or ended a session through it: how cached
 * session lists learn they are stale while the controller knows nothing of who caches them. Returns its removal.
 */
export const subscribeToSessionsChange = (listener: (client: object) => void): (() => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** Calls the source's `onSessionsChange`, then every listener with the source's client. */
export const notifySessionsChange = (source: SessionsChangeSource): void => {
  source.onSessionsChange?.();
  for (const listener of listeners) listener(source.client);
};
