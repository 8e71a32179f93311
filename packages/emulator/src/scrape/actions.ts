import { assertValid, type ConstraintSchema } from "firecrawl-interact/core";
import { fail, parseScreenshotOptions, type ScreenshotOptions, shown } from "./formats.js";

/** One of a scrape's `actions`, checked, with Firecrawl's defaults applied. */
export type ScrapeAction =
  | { type: "wait"; milliseconds: number; selector?: undefined }
  | { type: "wait"; selector: string; milliseconds?: undefined }
  | { type: "click"; selector: string; all: boolean }
  | { type: "write"; text: string }
  | { type: "press"; key: string }
  | { type: "scroll"; direction: "up" | "down"; selector?: string | undefined }
  | ({ type: "screenshot" } & ScreenshotOptions)
  | { type: "scrape" }
  | { type: "executeJavascript"; script: string }
  | { type: "pdf"; landscape: boolean; scale: number; format: PdfFormat };

/** The paper sizes of the `pdf` action. */
export const PDF_FORMATS = ["A0", "A1", "A2", "A3", "A4", "A5", "A6", "Letter", "Legal", "Tabloid", "Ledger"] as const;
type PdfFormat = (typeof PDF_FORMATS)[number];

/** The action types, in Firecrawl's order. */
export const ACTION_TYPES = [
  "wait",
  "click",
  "screenshot",
  "write",
  "press",
  "scroll",
  "scrape",
  "executeJavascript",
  "pdf",
] as const;

/** Firecrawl's caps: 50 actions, 60 s of waiting (waitFor plus wait actions, a selector wait counting 1 s). */
export const MAX_ACTIONS = 50;
const MAX_TOTAL_WAIT_MS = 60_000;

// The fields of each type (Firecrawl strips others); screenshot's are checked by parseScreenshotOptions.
const SHAPES: Readonly<Record<Exclude<(typeof ACTION_TYPES)[number], "screenshot">, ConstraintSchema>> = {
  wait: {
    type: "object",
    properties: { milliseconds: { type: "integer", minimum: 1 }, selector: { type: "string" } },
  },
  click: {
    type: "object",
    required: ["selector"],
    properties: { selector: { type: "string" }, all: { type: "boolean" } },
  },
  write: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
  press: { type: "object", required: ["key"], properties: { key: { type: "string" } } },
  scroll: {
    type: "object",
    properties: { direction: { type: "string", enum: ["up", "down"] }, selector: { type: "string" } },
  },
  scrape: { type: "object" },
  executeJavascript: { type: "object", required: ["script"], properties: { script: { type: "string" } } },
  pdf: {
    type: "object",
    properties: {
      landscape: { type: "boolean" },
      scale: { type: "number" },
      format: { type: "string", enum: PDF_FORMATS },
    },
  },
};

function parseAction(entry: unknown, field: string): ScrapeAction {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    fail(field, "type", `${field} must be an object (got ${shown(entry)})`, "object");
  }
  const record = entry as Record<string, unknown>;
  const { type } = record;
  if (!(ACTION_TYPES as readonly unknown[]).includes(type)) {
    fail(
      `${field}.type`,
      "enum",
      `${field}.type must be one of ${ACTION_TYPES.join(", ")} (got ${shown(type)})`,
      ACTION_TYPES,
    );
  }
  if (type === "screenshot") return { type, ...parseScreenshotOptions(record, field) };
  assertValid(SHAPES[type as keyof typeof SHAPES], record, field);
  switch (type as keyof typeof SHAPES) {
    case "wait": {
      const { milliseconds, selector } = record as { milliseconds?: number; selector?: string };
      if ((milliseconds === undefined) === (selector === undefined)) {
        fail(field, "oneOf", "Either 'milliseconds' or 'selector' must be provided, but not both.", [
          "milliseconds",
          "selector",
        ]);
      }
      return milliseconds === undefined
        ? { type: "wait", selector: selector as string }
        : { type: "wait", milliseconds };
    }
    case "click":
      return { type: "click", selector: record.selector as string, all: record.all === true };
    case "write":
      return { type: "write", text: record.text as string };
    case "press":
      return { type: "press", key: record.key as string };
    case "scroll":
      return {
        type: "scroll",
        direction: record.direction === "up" ? "up" : "down",
        selector: record.selector as string | undefined,
      };
    case "executeJavascript":
      return { type: "executeJavascript", script: record.script as string };
    case "pdf":
      return {
        type: "pdf",
        landscape: record.landscape === true,
        scale: (record.scale as number | undefined) ?? 1,
        format: (record.format as PdfFormat | undefined) ?? "Letter",
      };
    default:
      return { type: "scrape" };
  }
}

/** What the waits of a scrape add up to: `waitFor` plus each wait action (a selector wait counts as 1 s). */
export const totalWaitMs = (actions: readonly ScrapeAction[], waitForMs: number): number =>
  actions.reduce((sum, action) => {
    if (action.type !== "wait") return sum;
    return sum + (action.milliseconds ?? 1_000);
  }, waitForMs);

/**
 * Checks a scrape's `actions` with Firecrawl's rules (its types and fields, at most 50, at most 60 s of waiting
 * with `waitFor`); throws the 400's {@link InteractValidationError} of the first broken one.
 */
export function parseActions(value: unknown, waitForMs: number): ScrapeAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail("actions", "type", `actions must be an array (got ${shown(value)})`, "array");
  const entries = value as unknown[];
  if (entries.length > MAX_ACTIONS) {
    fail("actions", "maxLength", `Number of actions cannot exceed ${MAX_ACTIONS}`, MAX_ACTIONS);
  }
  const actions = entries.map((entry, index) => parseAction(entry, `actions[${index}]`));
  if (totalWaitMs(actions, waitForMs) > MAX_TOTAL_WAIT_MS) {
    fail("actions", "maximum", "Total wait time (waitFor + wait actions) cannot exceed 60 seconds", MAX_TOTAL_WAIT_MS);
  }
  return actions;
}
