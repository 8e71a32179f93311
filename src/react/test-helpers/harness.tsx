import { render, screen, waitFor } from "@testing-library/react";
import { StrictMode, useEffect } from "react";
import { expect } from "vitest";
import { InteractApiError, type InteractClient } from "../../client/index.js";
import { InteractProvider } from "../provider.js";
import {
  type UseInteractSessionOptions,
  type UseInteractSessionResult,
  useInteractSession,
} from "../use-interact-session.js";

/** Renders the hook's state as text and exposes start/stop buttons; records every status it went through. */
export function Harness(props: UseInteractSessionOptions & { onResult?: (result: UseInteractSessionResult) => void }) {
  const { onResult, ...options } = props;
  const result = useInteractSession(options);
  useEffect(() => onResult?.(result));
  return (
    <div>
      <output data-testid="status">{result.status}</output>
      <output data-testid="session">{result.session?.id ?? ""}</output>
      <output data-testid="error">
        {result.error instanceof InteractApiError
          ? `${result.error.status}:${result.error.code}`
          : (result.error?.code ?? "")}
      </output>
      <button type="button" onClick={() => void result.start()}>
        start
      </button>
      <button type="button" onClick={() => void result.stop()}>
        stop
      </button>
    </div>
  );
}

/** Renders {@link Harness} under an InteractProvider (optionally in StrictMode); `statuses` lists each status once. */
export function renderHarness(
  client: InteractClient,
  props: Parameters<typeof Harness>[0] = {},
  { strict = false }: { strict?: boolean } = {},
) {
  const statuses: string[] = [];
  const onResult = (result: UseInteractSessionResult) => {
    if (statuses.at(-1) !== result.status) statuses.push(result.status);
    props.onResult?.(result);
  };
  const tree = (
    <InteractProvider client={client}>
      <Harness {...props} onResult={onResult} />
    </InteractProvider>
  );
  const view = render(strict ? <StrictMode>{tree}</StrictMode> : tree);
  return { ...view, statuses };
}

/** The status the harness shows. */
export const status = () => screen.getByTestId("status").textContent;
/** Waits until the harness shows `expected`. */
export const waitForStatus = (expected: string) => waitFor(() => expect(status()).toBe(expected));
