import { act, cleanup, configure, render, renderHook, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { InteractClient } from "../client/index.js";
import { fakeInteractApi } from "../react/test-helpers/fake-interact-api.js";
import { useInteractSession } from "../react/use-interact-session.js";
import { useExecute, useInteractSessions } from "./queries.js";
import { clearQueryClients, querySetup } from "./test-helpers/query-setup.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  clearQueryClients();
});

/** A lifecycle hook next to a mounted session list. */
function Sessions() {
  const lifecycle = useInteractSession({ autoStart: true });
  const list = useInteractSessions({ status: "active" });
  return (
    <>
      <span data-testid="status">{lifecycle.status}</span>
      <span data-testid="listed">{list.data?.sessions?.map((session) => session.id).join(",") ?? "…"}</span>
      <button type="button" onClick={() => void lifecycle.stop()}>
        stop
      </button>
    </>
  );
}

/** One session beside three lists of the same query client: two of active sessions, one of all. */
function SideBySide() {
  const session = useInteractSession();
  const active = useInteractSessions({ status: "active" });
  const again = useInteractSessions({ status: "active" });
  const all = useInteractSessions();
  const shown = [active, again, all].map((list) => list.data?.sessions?.length ?? "…");
  return (
    <>
      <span data-testid="counts">{shown.join(" ")}</span>
      <button type="button" onClick={() => void (session.status === "live" ? session.stop() : session.start())}>
        toggle
      </button>
    </>
  );
}

/** A session of the provider's client beside a list of another client, shown while `showList`. */
function SessionBesideList({ listClient, showList }: { listClient: InteractClient; showList: boolean }) {
  const session = useInteractSession({ autoStart: true });
  return (
    <>
      <span data-testid="status">{session.status}</span>
      {showList && <OtherList client={listClient} />}
      <button type="button" onClick={() => void session.stop()}>
        stop
      </button>
    </>
  );
}
function OtherList({ client }: { client: InteractClient }) {
  const list = useInteractSessions({ client });
  return <span data-testid="other">{list.data?.sessions?.length ?? "…"}</span>;
}

/** Lets any refetch a change would cause go out before counting. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 30)));

/** How many times the fake was asked for a list, by its path (`/interact?status=active`, `/interact`). */
const lists = (api: ReturnType<typeof fakeInteractApi>, path: string) =>
  api.calls.filter((call) => call.method === "GET" && call.path === path).length;

describe("thin hooks", () => {
  it("useInteractSessions lists through the provider's client, with select", async () => {
    const { api, wrapper } = querySetup();
    await api.client.createSession({});
    await api.client.createSession({});
    const { result } = renderHook(
      () => useInteractSessions({ status: "active", select: (data) => data.sessions?.map((session) => session.id) }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.data).toEqual(["sess_1", "sess_2"]));
    expect(api.calls.at(-1)?.path).toBe("/interact?status=active");
  });

  it("useExecute posts to the session's execute route", async () => {
    const { api, wrapper } = querySetup();
    await api.client.createSession({});
    const { result } = renderHook(() => useExecute("sess_1"), { wrapper });
    await act(async () => {
      await result.current.mutateAsync({ code: "1 + 1", language: "node" });
    });
    expect(api.calls.at(-1)).toMatchObject({
      method: "POST",
      path: "/interact/sess_1/execute",
      body: { code: "1 + 1", language: "node" },
    });
  });

  it("useInteractSession refreshes a mounted session list when a session starts and stops", async () => {
    const { api, wrapper } = querySetup();
    render(<Sessions />, { wrapper });
    await waitFor(() => expect(screen.getByTestId("listed").textContent).toBe("sess_1"));
    act(() => screen.getByRole("button", { name: "stop" }).click());
    await waitFor(() => expect(screen.getByTestId("listed").textContent).toBe(""));
    expect(api.count("DELETE")).toBe(1);
  });
});

// firecrawl-interact/react imports no TanStack: its controller announces starts and ends through the client, and
// useInteractSessions listens for its own client and refreshes the query client's lists.
describe("session lists refresh after a start or a stop through useInteractSession", () => {
  it("fetches the list once on mount, once after the start and once after the stop", async () => {
    const { api, wrapper } = querySetup();
    render(<Sessions />, { wrapper });
    await waitFor(() => expect(screen.getByTestId("listed").textContent).toBe("sess_1"));
    await settle();
    expect(lists(api, "/interact?status=active")).toBe(2);
    act(() => screen.getByRole("button", { name: "stop" }).click());
    await waitFor(() => expect(screen.getByTestId("listed").textContent).toBe(""));
    await settle();
    expect(lists(api, "/interact?status=active")).toBe(3);
    expect([api.count("POST"), api.count("DELETE"), api.calls.length]).toEqual([1, 1, 5]);
  });

  it("lists mounted side by side refetch once each per change, every filter of the query client included", async () => {
    const { api, wrapper } = querySetup();
    render(<SideBySide />, { wrapper });
    await waitFor(() => expect(screen.getByTestId("counts").textContent).toBe("0 0 0"));
    act(() => screen.getByRole("button", { name: "toggle" }).click());
    await waitFor(() => expect(screen.getByTestId("counts").textContent).toBe("1 1 1"));
    await settle();
    expect([lists(api, "/interact?status=active"), lists(api, "/interact")]).toEqual([2, 2]);
    act(() => screen.getByRole("button", { name: "toggle" }).click());
    await waitFor(() => expect(screen.getByTestId("counts").textContent).toBe("0 0 1"));
    await settle();
    expect([lists(api, "/interact?status=active"), lists(api, "/interact")]).toEqual([3, 3]);
  });

  it("a list of another client does not refetch", async () => {
    const { api, wrapper } = querySetup();
    const other = fakeInteractApi();
    render(<SessionBesideList listClient={other.client} showList />, { wrapper });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("live"));
    await waitFor(() => expect(screen.getByTestId("other").textContent).toBe("0"));
    act(() => screen.getByRole("button", { name: "stop" }).click());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("ended"));
    await settle();
    expect(other.calls.map((call) => `${call.method} ${call.path}`)).toEqual(["GET /interact"]);
    expect(api.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /interact",
      "DELETE /interact/sess_1",
    ]);
  });

  it("a list that was unmounted no longer listens", async () => {
    const { api, wrapper } = querySetup();
    const { rerender } = render(<SessionBesideList listClient={api.client} showList />, { wrapper });
    await waitFor(() => expect(screen.getByTestId("other").textContent).toBe("1"));
    await settle();
    expect(lists(api, "/interact")).toBe(2);
    rerender(<SessionBesideList listClient={api.client} showList={false} />);
    act(() => screen.getByRole("button", { name: "stop" }).click());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("ended"));
    await settle();
    expect([lists(api, "/interact"), api.count("DELETE")]).toEqual([2, 1]);
  });
});
