import type { CreateSessionRequest } from "firecrawl-interact";
import { operations } from "firecrawl-interact/core";

const fields = operations.createBrowserSession.body.properties;

/** Bounds and defaults of the create form, read from the spec's generated constraints (never retyped). */
export const FORM_BOUNDS = {
  ttl: { min: fields.ttl.minimum, max: fields.ttl.maximum, default: fields.ttl.default },
  activityTtl: {
    min: fields.activityTtl.minimum,
    max: fields.activityTtl.maximum,
    default: fields.activityTtl.default,
  },
  streamWebView: { default: fields.streamWebView.default },
  profileName: {
    minLength: fields.profile.properties.name.minLength,
    maxLength: fields.profile.properties.name.maxLength,
  },
  saveChanges: { default: fields.profile.properties.saveChanges.default },
} as const;

/** What the create form holds: numbers as typed text, so a half-typed value is not rewritten under the cursor. */
export interface SessionFormValues {
  ttl: string;
  activityTtl: string;
  streamWebView: boolean;
  profileName: string;
  saveChanges: boolean;
}

/** The form as it first appears: the spec's defaults. */
export const DEFAULT_FORM: SessionFormValues = {
  ttl: String(FORM_BOUNDS.ttl.default),
  activityTtl: String(FORM_BOUNDS.activityTtl.default),
  streamWebView: FORM_BOUNDS.streamWebView.default,
  profileName: "",
  saveChanges: FORM_BOUNDS.saveChanges.default,
};

/** Turns the form into a create body; the client validates it against the spec before sending. */
export function toCreateBody(values: SessionFormValues): CreateSessionRequest {
  const body: CreateSessionRequest = { streamWebView: values.streamWebView };
  if (values.ttl.trim() !== "") body.ttl = Number(values.ttl);
  if (values.activityTtl.trim() !== "") body.activityTtl = Number(values.activityTtl);
  if (values.profileName !== "") body.profile = { name: values.profileName, saveChanges: values.saveChanges };
  return body;
}

/** Formats milliseconds as `m:ss`. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
