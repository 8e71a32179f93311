import type { ExecuteResponse, ScrapeInteractResponse } from "../core/types.js";

/** The languages `execute` and scrape-bound `code` take. */
export type FakeLanguage = "node" | "python" | "bash";

/** One `execute` (or scrape-bound `code`) call, as a handler sees it, defaults applied. */
export interface ExecuteCall {
  /** The session it runs in (for a scrape, the session its first call opened). */
  readonly sessionId: string;
  /** The scrape, for `POST /scrape/{jobId}/interact` with `code`. */
  readonly scrapeId: string | undefined;
  readonly code: string;
  readonly language: FakeLanguage;
  /** Seconds. */
  readonly timeout: number;
}

/** One scrape-bound `prompt` call, as a handler sees it. */
export interface PromptCall {
  readonly sessionId: string;
  readonly scrapeId: string;
  readonly prompt: string;
  /** Seconds. */
  readonly timeout: number;
}

/** What an execute handler answers: fields over the default answer (`{ success: true, stdout: "", result: null, … }`). */
export type ExecuteAnswer = Partial<ExecuteResponse>;

/** The URLs of a scrape-bound answer, which are the fake's, never a handler's. */
type ViewUrls = Pick<ScrapeInteractResponse, "cdpUrl" | "liveViewUrl" | "interactiveLiveViewUrl">;

/** The run fields of a prompt answer (the live-view and CDP URLs are the fake's); a string is the `output`. */
export type PromptAnswer = string | Partial<Omit<ScrapeInteractResponse, keyof ViewUrls>>;

/** Answers a call; may be async. A throw is a 500 `internal_error` with its message, so a broken test double shows. */
export type RunHandler<Call, Answer> = (call: Call) => Answer | Promise<Answer>;

/** A handler for every call, or answers by exact code (or prompt) text; a text missing from the table gets the default. */
export type RunHandlers<Call, Answer> =
  | RunHandler<Call, Answer>
  | Readonly<Record<string, Answer | RunHandler<Call, Answer>>>;

/** `onExecute`: answers `execute` and scrape-bound `code`. */
export type ExecuteHandlers = RunHandlers<ExecuteCall, ExecuteAnswer>;
/** `onPrompt`: answers scrape-bound `prompt`. */
export type PromptHandlers = RunHandlers<PromptCall, PromptAnswer>;

/** The run fields a finished, successful run reports on the emulator (and Firecrawl): exit 0, empty streams. */
const DEFAULT_RUN = {
  success: true,
  stdout: "",
  result: null,
  stderr: "",
  exitCode: 0,
  killed: false,
  truncated: false,
} as const satisfies ExecuteResponse;

/** The default answer of a run, and of a prompt (`output: ""`), before a handler's fields. */
export const defaultExecuteAnswer = (): ExecuteResponse => ({ ...DEFAULT_RUN });

/** Handlers by session or scrape id, over one global handler each for execute and prompt. */
export class RunHandlerTable {
  private readonly execute = new Map<string | undefined, ExecuteHandlers>();
  private readonly prompt = new Map<string | undefined, PromptHandlers>();

  constructor(onExecute: ExecuteHandlers | undefined, onPrompt: PromptHandlers | undefined) {
    if (onExecute) this.execute.set(undefined, onExecute);
    if (onPrompt) this.prompt.set(undefined, onPrompt);
  }

  /** Sets the execute handlers of one session or scrape (or, without an id, of all). */
  setExecute(handlers: ExecuteHandlers, id?: string): void {
    this.execute.set(id, handlers);
  }

  /** Sets the prompt handlers of one scrape or its session (or, without an id, of all). */
  setPrompt(handlers: PromptHandlers, id?: string): void {
    this.prompt.set(id, handlers);
  }

  /** Answers an execute: the session's handlers, else the scrape's, else the global ones, over the default. */
  async runExecute(call: ExecuteCall): Promise<ExecuteResponse> {
    const handler = pick(this.execute, call, call.code);
    return { ...DEFAULT_RUN, ...(handler ? await handler(call) : {}), success: true };
  }

  /** Answers a prompt the same way; the default `output` is `""`. */
  async runPrompt(call: PromptCall): Promise<Omit<ScrapeInteractResponse, "success" | keyof ViewUrls>> {
    const handler = pick(this.prompt, call, call.prompt);
    const answer = handler ? await handler(call) : {};
    const { success: _, ...run } = DEFAULT_RUN;
    return { ...run, output: "", ...(typeof answer === "string" ? { output: answer } : answer) };
  }
}

/** The handler for a call: by id (session, then scrape), then global; a table answers by exact text. */
function pick<Call extends { sessionId: string; scrapeId: string | undefined }, Answer>(
  table: Map<string | undefined, RunHandlers<Call, Answer>>,
  call: Call,
  text: string,
): RunHandler<Call, Answer> | undefined {
  const byScrape = call.scrapeId === undefined ? undefined : table.get(call.scrapeId);
  const handlers = table.get(call.sessionId) ?? byScrape ?? table.get(undefined);
  if (handlers === undefined || typeof handlers === "function") return handlers;
  const entry = Object.hasOwn(handlers, text) ? handlers[text] : undefined;
  if (entry === undefined) return undefined;
  return typeof entry === "function" ? (entry as RunHandler<Call, Answer>) : () => entry as Answer;
}
