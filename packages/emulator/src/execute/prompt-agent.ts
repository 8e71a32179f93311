import type { Browser, BrowserContext, Page } from "playwright-core";
import { connectPlaywright, defaultContext, disconnectPlaywright, pageForTarget } from "../browser/playwright.js";
import { browserFailed, EmulatorHttpError, errorMessage } from "../errors.js";

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

/** What a prompt run uses of its session (a `Session` is one). */
export interface AgentSession {
  readonly id: string;
  /** The browser-level DevTools endpoint Playwright connects to. */
  readonly browserWsEndpoint: string;
  /** The session's tabs; the agent gets the active one. */
  readonly activeTabs: { readonly active: string | undefined };
  /** Records activity now. */
  touch(): void;
  /** Registers something to call when the session ends; returns the unregister function. */
  onEnd(close: () => void): () => void;
  /** Takes a slot under the caps on runs going on at once (or throws their 429); returns the slot's release. */
  admitRun(): () => void;
}

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

const describe = (value: unknown): string => {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : typeof value;
};

// A prompt run's fields as an execute reports them: always a 200 with success, no stdout of its own.
const agentRun = (fields: Partial<Omit<AgentRun, "success">>): AgentRun => ({
  success: true,
  output: null,
  stdout: "",
  result: null,
  stderr: "",
  exitCode: null,
  killed: false,
  truncated: false,
  ...fields,
});

// As an execute reports a killed run: no exit code, and why in error.
const killedRun = (why: string) => agentRun({ killed: true, error: why });

// Firecrawl's semantics for a failed run, as execute answers a script that threw: the error, its stack, exit 1.
const failedRun = (error: unknown) =>
  agentRun({
    stderr: error instanceof Error && error.stack ? error.stack : errorMessage(error),
    exitCode: 1,
    error: errorMessage(error),
  });

// What bounds one run: its timeout and its session's end abort it; meanwhile it counts as activity.
interface RunBounds {
  readonly signal: AbortSignal;
  /** Rejects with the abort reason once the run is stopped. */
  readonly aborted: Promise<never>;
  /** Why the run was stopped, once it was. */
  stopped(): string | undefined;
  /** Clears the timers and the session hook. */
  release(): void;
}

function boundRun(session: AgentSession, timeoutSeconds: number): RunBounds {
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
  return {
    signal: controller.signal,
    aborted,
    stopped: () => stopped,
    release: () => {
      clearTimeout(timer);
      clearInterval(keepAlive);
      offEnd();
    },
  };
}

type Attached = Pick<EmulatorAgentInput, "browser" | "context" | "page">;

// Playwright on the session's active tab, given up as soon as the run is stopped.
async function attach(session: AgentSession, bounds: RunBounds): Promise<Attached> {
  const connecting = connectPlaywright(session.browserWsEndpoint);
  // A connection that arrives after the run was aborted is dropped at once.
  void connecting
    .then(async (connected) => {
      if (bounds.signal.aborted) await disconnectPlaywright(connected);
    })
    .catch(() => undefined);
  const browser = await Promise.race([connecting, bounds.aborted]);
  try {
    const context = defaultContext(browser);
    const page = await Promise.race([pageForTarget(context, session.activeTabs.active), bounds.aborted]);
    return { browser, context, page };
  } catch (error) {
    await disconnectPlaywright(browser);
    throw error;
  }
}

// Calls the agent and turns its answer, its throw or its abort into the run's fields.
async function ask(agent: EmulatorAgent, input: EmulatorAgentInput, bounds: RunBounds): Promise<AgentRun> {
  let value: unknown;
  try {
    const task = agent(input);
    // The agent may go on after an abort; its late outcome is dropped.
    Promise.resolve(task).catch(() => undefined);
    value = await Promise.race([task, bounds.aborted]);
  } catch (error) {
    const why = bounds.stopped();
    return why ? killedRun(why) : failedRun(error);
  }
  if (!isResult(value)) {
    throw new EmulatorHttpError(
      502,
      "agent_failed",
      `The emulator's agent answered ${describe(value)} instead of { output: string, result?: string }`,
    );
  }
  return agentRun({ output: value.output, result: value.result ?? null, exitCode: 0 });
}

/**
 * Runs the agent on a prompt in a session. The run is bounded by `timeoutSeconds` (and by the session's end): the
 * signal aborts and the answer is `killed`, whether or not the agent stops. A thrown error is a failed run. It counts
 * against the caps on runs as an execute does: past them, the 429 is thrown and the agent is not called.
 */
export async function runAgent(
  agent: EmulatorAgent,
  session: AgentSession,
  prompt: string,
  timeoutSeconds: number,
): Promise<AgentRun> {
  const release = session.admitRun();
  try {
    return await boundedAgentRun(agent, session, prompt, timeoutSeconds);
  } finally {
    release();
  }
}

async function boundedAgentRun(
  agent: EmulatorAgent,
  session: AgentSession,
  prompt: string,
  timeoutSeconds: number,
): Promise<AgentRun> {
  const bounds = boundRun(session, timeoutSeconds);
  let attached: Attached | undefined;
  try {
    try {
      attached = await attach(session, bounds);
    } catch (error) {
      const why = bounds.stopped();
      if (why) return killedRun(why);
      throw browserFailed(`Could not attach the agent to the session's browser: ${errorMessage(error)}`);
    }
    const input = { prompt, ...attached, sessionId: session.id, signal: bounds.signal };
    return await ask(agent, input, bounds);
  } finally {
    bounds.release();
    if (attached) await disconnectPlaywright(attached.browser);
  }
}
