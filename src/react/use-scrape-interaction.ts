"use client";

import { useMemo, useState } from "react";
import {
  createScrapeInteractionController,
  type InteractClient,
  type InteractError,
  type LiveViewSession,
  type ScrapeInteractionConfig,
  type ScrapeInteractionStatus,
  type ScrapeInteractRequest,
  type ScrapeInteractResponse,
} from "../client/index.js";
import { useInteractClient } from "./provider.js";
import { useController } from "./use-controller.js";

export type { ScrapeInteractionStatus } from "../client/index.js";

/** Options of {@link useScrapeInteraction}. */
export interface UseScrapeInteractionOptions {
  /** Stop the scrape's browser when the component unmounts for real or `scrapeId` changes. Default `true`. */
  stopOnUnmount?: boolean;
  /** Send a best-effort `keepalive` stop on `pagehide` so closed tabs don't leak billed browsers. Default `true`. */
  stopOnPageHide?: boolean;
  /** Overrides the {@link InteractProvider}'s client. */
  client?: InteractClient;
}

/** What {@link useScrapeInteraction} returns. */
export interface UseScrapeInteractionResult {
  /** `idle | creating | live | ended | error`: where the scrape's browser is (pass it to `<LiveView status>`). */
  status: ScrapeInteractionStatus;
  /** True while a call is queued or running (the first one runs while `status` is `creating`). */
  isRunning: boolean;
  /** The answer of the last call that settled (`stderr`, `exitCode`, `killed`, `cdpUrl`…); `null` if it failed. */
  response: ScrapeInteractResponse | null;
  /** The agent's final answer to the last prompt, else `null`. */
  output: string | null;
  /** The value of the last code's last expression, serialized, else `null`. */
  result: string | null;
  /** What the last code printed, else `null`. */
  stdout: string | null;
  /** Typed error of the last call or stop that failed, `null` once one succeeds (`status` may stay `live`). */
  error: InteractError | null;
  /** Read-only live-view URL, published by the first call that returns it; `null` before. */
  liveViewUrl: string | null;
  /** Interactive live-view URL (hand the page to a person), published with `liveViewUrl`; `null` before. */
  interactiveLiveViewUrl: string | null;
  /** The live-view URLs shaped for `<LiveView session>`; `null` until a call answered. */
  session: LiveViewSession | null;
  /** Runs code or a prompt after the calls before it; resolves with the answer, or `null` (failed, stopped, no id). */
  run: (body: ScrapeInteractRequest) => Promise<ScrapeInteractResponse | null>;
  /** Stops the browser a call opened with one `DELETE` however often it is called. Never rejects. */
  stop: () => Promise<void>;
}

/** Code or prompts on a scrape's browser: publishes its live view, stops it on stop/unmount/pagehide. */
export const useScrapeInteraction = (
  scrapeId: string | null | undefined,
  options: UseScrapeInteractionOptions = {},
): UseScrapeInteractionResult => {
  const config: ScrapeInteractionConfig = { ...options, client: useInteractClient(options.client) };
  const id = scrapeId || null;
  const [stored, setStored] = useState(() => createScrapeInteractionController(id, config));
  let controller = stored;
  if (stored.scrapeId !== id) {
    // Another scrape: a fresh controller; the old one detaches below, which stops its browser.
    controller = createScrapeInteractionController(id, config);
    setStored(controller);
  }
  const state = useController(controller, config);
  return useMemo(() => {
    const { response, session } = state;
    return {
      ...state,
      output: response?.output ?? null,
      result: response?.result ?? null,
      stdout: response?.stdout ?? null,
      liveViewUrl: session?.liveViewUrl ?? null,
      interactiveLiveViewUrl: session?.interactiveLiveViewUrl ?? null,
      run: controller.run,
      stop: controller.stop,
    };
  }, [state, controller]);
};
