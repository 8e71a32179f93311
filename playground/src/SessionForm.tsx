import type { FormEvent } from "react";
import { FORM_BOUNDS, type SessionFormValues } from "./form.js";

/** Props of {@link SessionForm}. */
export interface SessionFormProps {
  values: SessionFormValues;
  onChange: (values: SessionFormValues) => void;
  onStart: () => void;
  onStop: () => void;
  /** A session is being created or is live: the form is locked and Stop is offered. */
  busy: boolean;
}

/** The create form: ttl, activityTtl, streamWebView and profile, bounded by the spec; Start and Stop. */
export function SessionForm({ values, onChange, onStart, onStop, busy }: SessionFormProps) {
  const set = <K extends keyof SessionFormValues>(key: K, value: SessionFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onStart();
  };
  const { ttl, activityTtl, profileName } = FORM_BOUNDS;
  return (
    <form className="card" onSubmit={submit} aria-label="New session">
      <h2>New session</h2>
      <fieldset disabled={busy}>
        <div className="row">
          <label>
            <span>ttl (s)</span>
            <input
              type="number"
              name="ttl"
              min={ttl.min}
              max={ttl.max}
              step={1}
              value={values.ttl}
              onChange={(event) => set("ttl", event.target.value)}
            />
            <small>
              {ttl.min}–{ttl.max}, default {ttl.default}
            </small>
          </label>
          <label>
            <span>activityTtl (s)</span>
            <input
              type="number"
              name="activityTtl"
              min={activityTtl.min}
              max={activityTtl.max}
              step={1}
              value={values.activityTtl}
              onChange={(event) => set("activityTtl", event.target.value)}
            />
            <small>
              {activityTtl.min}–{activityTtl.max}, default {activityTtl.default}
            </small>
          </label>
        </div>
        <label className="check">
          <input
            type="checkbox"
            name="streamWebView"
            checked={values.streamWebView}
            onChange={(event) => set("streamWebView", event.target.checked)}
          />
          <span>streamWebView</span>
        </label>
        <div className="row">
          <label>
            <span>profile name</span>
            <input
              type="text"
              name="profileName"
              placeholder="none"
              maxLength={profileName.maxLength}
              value={values.profileName}
              onChange={(event) => set("profileName", event.target.value)}
            />
            <small>optional, up to {profileName.maxLength} characters</small>
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="saveChanges"
              disabled={values.profileName === ""}
              checked={values.saveChanges}
              onChange={(event) => set("saveChanges", event.target.checked)}
            />
            <span>saveChanges</span>
          </label>
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Start session
        </button>
        <button type="button" onClick={onStop} disabled={!busy}>
          Stop session
        </button>
      </div>
    </form>
  );
}
