import { type QueryClient, useMutation } from "@tanstack/react-query";
import { act, cleanup, configure, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { InteractApiError } from "../client/index.js";
import { fakeInteractApi } from "../react/test-helpers/fake-interact-api.js";
import { interactKeys } from "./keys.js";
import {
  createSessionMutationOptions,
  deleteSessionMutationOptions,
  executeMutationOptions,
  listSessionsQueryOptions,
} from "./options.js";
import { clearQueryClients, querySetup } from "./test-helpers/query-setup.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  clearQueryClients();
});

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
    const { api, queryClient } = querySetup();
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
    const { queryClient } = querySetup();
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
    const { api, queryClient, wrapper } = querySetup();
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
    const { api, queryClient, wrapper } = querySetup();
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
    const { api, queryClient, wrapper } = querySetup();
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
