"use client";

import { useEffect, useMemo, useState } from "react";
import {
  type CreateSessionRequest,
  type CreateSessionResponse,
  createSessionController,
  type InteractClient,
  type InteractError,
  type InteractSessionStatus,
  type SessionControllerConfig,
} from "../client/index.js";
import { useInteractClient } from "./provider.js";
import { useController } from "./use-controller.js";

/** Options of {@link useInteractSession}. */
export interface UseInteractSessionOptions {
  /** Create body used by `autoStart` and by `start()` without arguments. */
  body?: CreateSessionRequest;
  /** Start a session as soon as the component mounts (once, even under StrictMode). Default `false`. */
  autoStart?: boolean;
  /** Delete the session when the component unmounts for real. Default `true`. */
  stopOnUnmount?: boolean;
  /** Send a best-effort `keepalive` delete on `pagehide` so closed tabs don't leak billed sessions. Default `true`. */
  stopOnPageHide?: boolean;
  /** `isExpiringSoon` turns true when fewer milliseconds than this remain. Default `30_000`. */
  expiryWarningMs?: number;
  /** Called once when the session reaches its expiry. */
  onExpire?: (session: CreateSessionResponse) => void;
  /** Overrides the {@link InteractProvider}'s client. */
  client?: InteractClient;
}

/** What {@link useInteractSession} returns. */
export interface UseInteractSessionResult {
  /** `idle | creating | live | ended | expired | error`. */
  status: InteractSessionStatus;
  /** The create response of the current (or last) session, `null` before one exists. */
  session: CreateSessionResponse | null;
  /** The client's typed error when `status` is `error` (see `code`, `status`, `retryAfterMs`), else `null`. */
  error: InteractError | null;
  /** Milliseconds until expiry, counted down every second; `null` without a live session, 0 once expired. */
  remainingMs: number | null;
  /** True when `remainingMs` is estimated from `ttl` because the create answer had no `expiresAt`. */
  isEstimate: boolean;
  /** True while live with at most `expiryWarningMs` left. */
  isExpiringSoon: boolean;
  /** Starts a session (no-op while creating or live); resolves with it, or `null` on failure. Never rejects. */
  start: (body?: CreateSessionRequest) => Promise<CreateSessionResponse | null>;
  /** Ends the session with one `DELETE` however often it is called. Never rejects. */
  stop: () => Promise<void>;
}

/** The lifecycle of one live browser session: create once, count down to expiry, delete on stop/unmount/pagehide. */
export const useInteractSession = (options: UseInteractSessionOptions = {}): UseInteractSessionResult => {
  // The controller tells the client's listeners (cached lists of /react-query) of every start and end.
  const config: SessionControllerConfig = { ...options, client: useInteractClient(options.client) };
  const [controller] = useState(() => createSessionController(config));
  const state = useController(controller, config);
  const { autoStart, expiryWarningMs = 30_000 } = options;
  // After the attach: StrictMode's second run finds `creating`, and an ended session is not restarted behind the user.
  useEffect(() => {
    if (autoStart && controller.getState().status === "idle") void controller.start();
  }, [controller, autoStart]);
  return useMemo(
    () => ({
      ...state,
      isExpiringSoon: state.status === "live" && state.remainingMs !== null && state.remainingMs <= expiryWarningMs,
      start: controller.start,
      stop: controller.stop,
    }),
    [state, expiryWarningMs, controller],
  );
};
