import { describe, expectTypeOf, it } from "vitest";
import {
  type CreateSessionRequest,
  type CreateSessionResponse,
  createInteractClient,
  type InteractApiError,
  type InteractError,
  type InteractSession,
  type InteractSessionStatus,
  type InteractValidationError,
} from "../client/index.js";
import {
  InteractProvider,
  LiveView,
  type LiveViewProps,
  type LiveViewState,
  type UseInteractSessionResult,
  useInteractClient,
  useInteractSession,
} from "./index.js";
import { checkLiveViewUrl } from "./live-view-url.js";

describe("useInteractSession", () => {
  it("returns the documented lifecycle shape", () => {
    const session = useInteractSession({ autoStart: true, body: { ttl: 60 }, onExpire: (s) => s.id });
    expectTypeOf(session).toEqualTypeOf<UseInteractSessionResult>();
    expectTypeOf(session.status).toEqualTypeOf<InteractSessionStatus>();
    expectTypeOf<InteractSessionStatus>().toEqualTypeOf<"idle" | "creating" | "live" | "ended" | "expired" | "error">();
    expectTypeOf(session.session).toEqualTypeOf<CreateSessionResponse | null>();
    expectTypeOf(session.error).toEqualTypeOf<InteractError | null>();
    expectTypeOf<InteractError>().toEqualTypeOf<InteractApiError | InteractValidationError>();
    expectTypeOf(session.remainingMs).toEqualTypeOf<number | null>();
    expectTypeOf(session.start).parameters.toEqualTypeOf<[body?: CreateSessionRequest]>();
    expectTypeOf(session.start).returns.resolves.toEqualTypeOf<CreateSessionResponse | null>();
    expectTypeOf(session.stop).returns.resolves.toEqualTypeOf<void>();
  });

  it("rejects create bodies that break the spec's types", () => {
    // @ts-expect-error ttl is a number
    useInteractSession({ body: { ttl: "60" } });
    // @ts-expect-error profile needs a name
    useInteractSession({ body: { profile: { saveChanges: true } } });
  });

  it("takes an optional client", () => {
    expectTypeOf(useInteractClient).parameter(0).toEqualTypeOf<ReturnType<typeof createInteractClient> | undefined>();
  });
});

describe("LiveView", () => {
  it("accepts a create response, a list entry, or nothing as session", () => {
    expectTypeOf<CreateSessionResponse>().toExtend<NonNullable<LiveViewProps["session"]>>();
    expectTypeOf<InteractSession>().toExtend<NonNullable<LiveViewProps["session"]>>();
    expectTypeOf<null>().toExtend<LiveViewProps["session"]>();
    // @ts-expect-error a session id alone is not a session
    LiveView({ session: "sess_1" });
  });

  it("reports typed states and takes the hook's status", () => {
    expectTypeOf<Parameters<NonNullable<LiveViewProps["onStateChange"]>>[0]>().toEqualTypeOf<LiveViewState>();
    expectTypeOf<LiveViewState>().toEqualTypeOf<
      "idle" | "loading" | "live" | "reconnecting" | "disconnected" | "ended" | "error" | "disabled"
    >();
    expectTypeOf<LiveViewProps["status"]>().toEqualTypeOf<InteractSessionStatus | undefined>();
  });

  it("narrows URL checks on ok", () => {
    const check = checkLiveViewUrl("https://x.dev");
    if (check.ok) expectTypeOf(check.origin).toEqualTypeOf<string>();
    else expectTypeOf(check.reason).toEqualTypeOf<"empty" | "invalid" | "protocol" | "host">();
  });
});

// The README quick start, kept compiling here.
const quickStartClient = createInteractClient({ baseUrl: "/api/firecrawl" });
function QuickStartBrowser() {
  const s = useInteractSession({ body: { ttl: 600 } });
  return (
    <>
      <button type="button" onClick={() => (s.status === "live" ? s.stop() : s.start())}>
        {s.status === "live" ? "Stop" : "Start"}
      </button>
      <LiveView session={s.session} status={s.status} interactive allowFullscreen />
    </>
  );
}
const QuickStartApp = () => (
  <InteractProvider client={quickStartClient}>
    <QuickStartBrowser />
  </InteractProvider>
);

describe("README quick start", () => {
  it("type-checks as a component", () => {
    expectTypeOf(QuickStartApp).toBeFunction();
  });
});
