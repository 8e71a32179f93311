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

/** A number input in seconds with the spec's bounds and default shown under it. */
function SecondsField(props: {
  name: "ttl" | "activityTtl";
  bounds: { min: number; max: number; default: number };
  value: SessionFormValues["ttl"];
  onChange: (value: SessionFormValues["ttl"]) => void;
}) {
  const { name, bounds, value, onChange } = props;
  return (
    <label>
      <span>{name} (s)</span>
      <input
        type="number"
        name={name}
        min={bounds.min}
        max={bounds.max}
        step={1}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <small>
        {bounds.min}–{bounds.max}, default {bounds.default}
      </small>
    </label>
  );
}

/** Sets one field of the form. */
type SetField = <K extends keyof SessionFormValues>(key: K, value: SessionFormValues[K]) => void;

/** The profile's name (bounded by the spec) and whether the session saves its changes to it. */
function ProfileFields({ values, set }: { values: SessionFormValues; set: SetField }) {
  const { maxLength } = FORM_BOUNDS.profileName;
  return (
    <div className="row">
      <label>
        <span>profile name</span>
        <input
          type="text"
          name="profileName"
          placeholder="none"
          maxLength={maxLength}
          value={values.profileName}
          onChange={(event) => set("profileName", event.target.value)}
        />
        <small>optional, up to {maxLength} characters</small>
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
  );
}

/** The create form: ttl, activityTtl, streamWebView and profile, bounded by the spec; Start and Stop. */
export function SessionForm({ values, onChange, onStart, onStop, busy }: SessionFormProps) {
  const set: SetField = (key, value) => onChange({ ...values, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onStart();
  };
  const { ttl, activityTtl } = FORM_BOUNDS;
  return (
    <form className="card" onSubmit={submit} aria-label="New session">
      <h2>New session</h2>
      <fieldset disabled={busy}>
        <div className="row">
          <SecondsField name="ttl" bounds={ttl} value={values.ttl} onChange={(value) => set("ttl", value)} />
          <SecondsField
            name="activityTtl"
            bounds={activityTtl}
            value={values.activityTtl}
            onChange={(value) => set("activityTtl", value)}
          />
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
        <ProfileFields values={values} set={set} />
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
