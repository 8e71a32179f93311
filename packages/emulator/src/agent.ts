import type { Browser, BrowserContext, Page } from "playwright-core";
import { connectPlaywright, defaultContext, disconnectPlaywright, pageForTarget } from "./browser/playwright.js";
import { browserFailed, EmulatorHttpError, errorMessage } from "./errors.js";
import type { Session } from "./session.js";

/** What a prompt agent gets: the prompt and Playwright attached to the session's browser. */
export interface EmulatorAgentInput {
  /** The `prompt` of `POST /v2/scrape/{jobId}/interact`. */
  prompt: string;
  /** The session's active tab (the one its live view shows). */
  page: Page;
  /** The browser's default context. */
  context: BrowserContext;
  /** Playwright's connection to the session's browser; the emulator disconnects it after the run. */
  browser: Browser;
  /** Id of the interact session. */
  sessionId: string;
  /** Aborts at the request's `timeout` or when the session ends; the emulator answers then without waiting. */
  signal: AbortSignal;
}

/** What a prompt agent answers. */
export interface EmulatorAgentResult {
  /** The agent's final answer, returned as `output`. */
  output: string;
  /** Returned as `result` (Firecrawl puts a final page snapshot there); null when absent. */
  result?: string;
}

/** Acts on a prompt in the session's browser: plug an LLM in with `startEmulator({ agent })`. */
export type EmulatorAgent = (input: EmulatorAgentInput) => Promise<EmulatorAgentResult>;

/** The run fields of a prompt answer (the session's URLs are added by the caller), shaped as execute's. */
export interface AgentRun {
  success: true;
  output: string | null;
  stdout: string;
  result: string | null;
  stderr: string;
  exitCode: number | null;
  killed: boolean;
  truncated: boolean;
  /** Only when the run failed or was killed, as on an execute. */
  error?: string;
}

/** The 400 for a prompt when no agent is plugged in; nothing is launched for it. */
export const agentNotConfigured = () =>
  new EmulatorHttpError(
    400,
    "agent_not_configured",
    "The emulator has no AI agent for prompts: start it with startEmulator({ agent }) to plug one in, or send code instead",
    { field: "prompt" },
  );

const isResult = (value: unknown): value is EmulatorAgentResult => {
  const record = value as Record<string, unknown> | null;
  return (
    typeof record === "object" &&
    record !== null &&
    typeof record.output === "string" &&
    (record.result === undefined || typeof record.result === "string")
  );
};

const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

/**
 * Runs the agent on a prompt in a session. The run is bounded by `timeoutSeconds` (and by the session's end): the
 * signal aborts and the answer is `killed`, whether or not the agent stops. A thrown error is a failed run.
 */
export async function runAgent(
  agent: EmulatorAgent,
  session: Session,
  prompt: string,
  timeoutSeconds: number,
): Promise<AgentRun> {
  const controller = new AbortController();
  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped ??= why;
    controller.abort(new Error(why));
  };
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const timer = setTimeout(
    () => stop(`The agent did not finish within ${timeoutSeconds}s and was aborted`),
    timeoutSeconds * 1000,
  );
  const offEnd = session.onEnd(() => stop("The session ended while the agent ran"));
  // A run counts as continuous activity, as a running execute does.
  session.touch();
  const keepAlive = setInterval(() => session.touch(), 1_000);
  const connecting = connectPlaywright(session.browserWsEndpoint);
  // A connection that arrives after the run was aborted is dropped at once.
  void connecting
    .then(async (connected) => {
      if (controller.signal.aborted) await disconnectPlaywright(connected);
    })
    .catch(() => undefined);
  let browser: Browser | undefined;
  const killed = (): AgentRun => ({
    // As an execute reports a killed run: still a 200 with success, no exit code, and why in error.
    success: true,
    output: null,
    stdout: "",
    result: null,
    stderr: "",
    exitCode: null,
    killed: true,
    truncated: false,
    error: stopped ?? "The agent was aborted",
  });
  try {
    let page: Page;
    let context: BrowserContext;
    try {
      browser = await Promise.race([connecting, aborted]);
      context = defaultContext(browser);
      page = await Promise.race([pageForTarget(context, session.activeTabs.active), aborted]);
    } catch (error) {
      if (stopped) return killed();
      throw browserFailed(`Could not attach the agent to the session's browser: ${errorMessage(error)}`);
    }
    let value: unknown;
    try {
      const task = agent({ prompt, page, context, browser, sessionId: session.id, signal: controller.signal });
      // The agent may go on after an abort; its late outcome is dropped.
      Promise.resolve(task).catch(() => undefined);
      value = await Promise.race([task, aborted]);
    } catch (error) {
      if (stopped) return killed();
      // Firecrawl's semantics for a failed run, as execute answers a script that threw: 200, success, error, exit 1.
      const text = errorMessage(error);
      return {
        success: true,
        output: null,
        stdout: "",
        result: null,
        stderr: error instanceof Error && error.stack ? error.stack : text,
        exitCode: 1,
        killed: false,
        truncated: false,
        error: text,
      };
    }
    if (!isResult(value)) {
      throw new EmulatorHttpError(
        502,
        "agent_failed",
        `The emulator's agent answered ${describe(value)} instead of { output: string, result?: string }`,
      );
    }
    return {
      success: true,
      output: value.output,
      stdout: "",
      result: value.result ?? null,
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    };
  } finally {
    clearTimeout(timer);
    clearInterval(keepAlive);
    offEnd();
    if (browser) await disconnectPlaywright(browser);
  }
}
