import { QueryClient, QueryClientProvider, useMutation } from "@tanstack/react-query";
import { act, cleanup, configure, render, renderHook, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { InteractApiError } from "../client/index.js";
import { interactKeys } from "./keys.js";
import {
  createSessionMutationOptions,
  deleteSessionMutationOptions,
  executeMutationOptions,
  listSessionsQueryOptions,
} from "./options.js";
import { InteractProvider, useInteractClient } from "./provider.js";
import { useExecute, useInteractSessions } from "./queries.js";
import { fakeInteractApi } from "./test-helpers/fake-interact-api.js";
import { useInteractSession } from "./use-interact-session.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

let queryClient: QueryClient;
afterEach(() => {
  cleanup();
  queryClient?.clear();
});

function setup() {
  const api = fakeInteractApi();
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <InteractProvider client={api.client}>{children}</InteractProvider>
    </QueryClientProvider>
  );
  return { api, queryClient, wrapper };
}

/** Seeds the cache with both lists and an unrelated query, so invalidation can be checked per key. */
function seedLists(client: QueryClient) {
  client.setQueryData(interactKeys.list(), { success: true, sessions: [] });
  client.setQueryData(interactKeys.list("active"), { success: true, sessions: [] });
  client.setQueryData(["unrelated"], 1);
}
const invalidated = (client: QueryClient) => ({
  all: client.getQueryState(interactKeys.list())?.isInvalidated,
  active: client.getQueryState(interactKeys.list("active"))?.isInvalidated,
  unrelated: client.getQueryState(["unrelated"])?.isInvalidated,
});

describe("interactKeys", () => {
  it("builds hierarchical keys so one prefix invalidates all lists", () => {
    expect(interactKeys.all).toEqual(["firecrawl-interact"]);
    expect(interactKeys.lists()).toEqual(["firecrawl-interact", "sessions"]);
    expect(interactKeys.list()).toEqual(["firecrawl-interact", "sessions", { status: null }]);
    expect(interactKeys.list("active")).toEqual(["firecrawl-interact", "sessions", { status: "active" }]);
    expect(interactKeys.list("destroyed")).toEqual(["firecrawl-interact", "sessions", { status: "destroyed" }]);
    expect(interactKeys.session("abc")).toEqual(["firecrawl-interact", "session", "abc"]);
  });
});

describe("listSessionsQueryOptions", () => {
  it("works outside hooks: fetchQuery sends the status filter and caches under interactKeys.list(status)", async () => {
    const { api, queryClient } = setup();
    await api.client.createSession({});
    const options = listSessionsQueryOptions(api.client, { status: "active" });
    expect(options.queryKey).toEqual(interactKeys.list("active"));
    const data = await queryClient.fetchQuery(options);
    expect(data.sessions?.map((session) => session.id)).toEqual(["sess_1"]);
    expect(api.calls.at(-1)?.path).toBe("/interact?status=active");
    expect(queryClient.getQueryData(options.queryKey)).toBe(data);
    await queryClient.prefetchQuery(listSessionsQueryOptions(api.client));
    expect(api.calls.at(-1)?.path).toBe("/interact");
  });

  it("surfaces the client's typed error", async () => {
    const { queryClient } = setup();
    const broken = fakeInteractApi();
    const options = listSessionsQueryOptions(
      { ...broken.client, listSessions: () => Promise.reject(new InteractApiError({ status: 502, message: "down" })) },
      {},
    );
    await expect(queryClient.fetchQuery(options)).rejects.toMatchObject({ status: 502, code: "http_502" });
  });
});

describe("mutation options invalidate the session lists", () => {
  it("createSessionMutationOptions creates with the body and invalidates every list, nothing else", async () => {
    const { api, queryClient, wrapper } = setup();
    seedLists(queryClient);
    const client = api.client;
    const { result } = renderHook(() => useMutation(createSessionMutationOptions(client)), { wrapper });
    await act(async () => {
      await result.current.mutateAsync({ ttl: 60 });
    });
    expect(api.calls.filter((call) => call.method === "POST")).toMatchObject([
      { path: "/interact", body: { ttl: 60 } },
    ]);
    expect(invalidated(queryClient)).toEqual({ all: true, active: true, unrelated: false });
  });

  it("executeMutationOptions runs code in the session and invalidates the lists", async () => {
    const { api, queryClient, wrapper } = setup();
    const created = await api.client.createSession({});
    const id = created.id ?? "";
    seedLists(queryClient);
    const options = executeMutationOptions(api.client, id);
    expect(options.mutationKey).toEqual([...interactKeys.session(id), "execute"]);
    const { result } = renderHook(() => useMutation(options), { wrapper });
    let stdout: string | null | undefined;
    await act(async () => {
      stdout = (await result.current.mutateAsync({ code: "console.log('ok')" })).stdout;
    });
    expect(stdout).toBe("ok\n");
    expect(api.calls.at(-1)).toMatchObject({ method: "POST", path: `/interact/${id}/execute` });
    expect(invalidated(queryClient)).toEqual({ all: true, active: true, unrelated: false });
  });

  it("deleteSessionMutationOptions invalidates the lists on success and on 404", async () => {
    const { api, queryClient, wrapper } = setup();
    const created = await api.client.createSession({});
    seedLists(queryClient);
    const client = api.client;
    const { result } = renderHook(() => useMutation(deleteSessionMutationOptions(client)), { wrapper });
    await act(async () => {
      await result.current.mutateAsync(created.id ?? "");
    });
    expect(invalidated(queryClient)).toEqual({ all: true, active: true, unrelated: false });
    seedLists(queryClient);
    await act(async () => {
      await result.current.mutateAsync("missing").catch(() => undefined);
    });
    expect(result.current.error).toMatchObject({ status: 404 });
    expect(invalidated(queryClient)).toEqual({ all: true, active: true, unrelated: false });
  });
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

describe("thin hooks", () => {
  it("useInteractSessions lists through the provider's client, with select", async () => {
    const { api, wrapper } = setup();
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
    const { api, wrapper } = setup();
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
    const { api, wrapper } = setup();
    render(<Sessions />, { wrapper });
    await waitFor(() => expect(screen.getByTestId("listed").textContent).toBe("sess_1"));
    act(() => screen.getByRole("button", { name: "stop" }).click());
    await waitFor(() => expect(screen.getByTestId("listed").textContent).toBe(""));
    expect(api.count("DELETE")).toBe(1);
  });

  it("without a provider or a client option, hooks throw a clear error", () => {
    expect(() => renderHook(() => useInteractClient())).toThrow(
      "firecrawl-interact: no client (use <InteractProvider> or the client option)",
    );
  });
});
