// browser.tsx: the component under test
import { LiveView, useInteractSession } from "firecrawl-interact/react";

export function Browser() {
  const s = useInteractSession({ body: { ttl: 600 } });
  return (
    <>
      <button type="button" onClick={() => (s.status === "live" ? s.stop() : s.start())}>
        {s.status === "live" ? "Stop" : "Start"}
      </button>
      {s.error && (
        <p role="alert">
          {s.error.code}: {s.error.message}
        </p>
      )}
      <LiveView session={s.session} status={s.status} interactive />
    </>
  );
}
