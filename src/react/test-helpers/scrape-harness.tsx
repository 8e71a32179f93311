import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode, useEffect } from "react";
import { expect } from "vitest";
import { InteractApiError, type InteractClient, type ScrapeInteractRequest } from "../../client/index.js";
import { LiveView } from "../live-view.js";
import { InteractProvider } from "../provider.js";
import {
  type UseScrapeInteractionOptions,
  type UseScrapeInteractionResult,
  useScrapeInteraction,
} from "../use-scrape-interaction.js";

/** Props of {@link ScrapeHarness}: the hook's arguments, the bodies its buttons send, and a result callback. */
export interface ScrapeHarnessProps extends UseScrapeInteractionOptions {
  scrapeId: string | null | undefined;
  /** Sent by the `run code` button. */
  code?: ScrapeInteractRequest;
  /** Sent by the `run prompt` button. */
  prompt?: ScrapeInteractRequest;
  onResult?: (result: UseScrapeInteractionResult) => void;
}

/** Renders the hook's state as text, run/stop buttons, and an interactive `<LiveView>` fed by the hook. */
export function ScrapeHarness(props: ScrapeHarnessProps) {
  const { scrapeId, onResult, code = { code: "1 + 1" }, prompt = { prompt: "Accept the cookies" }, ...options } = props;
  const interaction = useScrapeInteraction(scrapeId, options);
  useEffect(() => onResult?.(interaction));
  const { error } = interaction;
  return (
    <div>
      <output data-testid="status">{interaction.status}</output>
      <output data-testid="running">{String(interaction.isRunning)}</output>
      <output data-testid="output">{interaction.output ?? ""}</output>
      <output data-testid="result">{interaction.result ?? ""}</output>
      <output data-testid="stdout">{interaction.stdout ?? ""}</output>
      <output data-testid="live">{interaction.liveViewUrl ?? ""}</output>
      <output data-testid="interactive">{interaction.interactiveLiveViewUrl ?? ""}</output>
      <output data-testid="error">
        {error instanceof InteractApiError ? `${error.status}:${error.code}` : (error?.code ?? "")}
      </output>
      <button type="button" onClick={() => void interaction.run(code)}>
        run code
      </button>
      <button type="button" onClick={() => void interaction.run(prompt)}>
        run prompt
      </button>
      <button type="button" onClick={() => void interaction.stop()}>
        stop
      </button>
      <LiveView session={interaction.session} status={interaction.status} interactive />
    </div>
  );
}

/** Renders {@link ScrapeHarness} under an InteractProvider (optionally in StrictMode); `statuses` lists each once. */
export function renderScrapeHarness(
  client: InteractClient,
  props: ScrapeHarnessProps,
  { strict = false }: { strict?: boolean } = {},
) {
  const statuses: string[] = [];
  let latest: UseScrapeInteractionResult | undefined;
  const tree = (next: ScrapeHarnessProps) => {
    const onResult = (result: UseScrapeInteractionResult) => {
      latest = result;
      if (statuses.at(-1) !== result.status) statuses.push(result.status);
      next.onResult?.(result);
    };
    const harness = (
      <InteractProvider client={client}>
        <ScrapeHarness {...next} onResult={onResult} />
      </InteractProvider>
    );
    return strict ? <StrictMode>{harness}</StrictMode> : harness;
  };
  const view = render(tree(props));
  return {
    ...view,
    statuses,
    /** The hook's latest result. */
    latest: () => {
      if (!latest) throw new Error("the harness has not rendered yet");
      return latest;
    },
    /** Re-renders with other props (e.g. another scrape id). */
    rerender: (next: ScrapeHarnessProps) => view.rerender(tree(next)),
  };
}

/** The text of one of the harness's outputs. */
export const shown = (testId: string) => screen.getByTestId(testId).textContent;
/** Waits until the harness shows status `expected`. */
export const waitForScrapeStatus = (expected: string) => waitFor(() => expect(shown("status")).toBe(expected));
/** Clicks one of the harness's buttons. */
export const click = (name: "run code" | "run prompt" | "stop") =>
  fireEvent.click(screen.getByRole("button", { name }));
