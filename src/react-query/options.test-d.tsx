import {
  type DataTag,
  QueryClient,
  type UseMutationResult,
  useMutation,
  useQuery,
  useSuspenseQuery,
} from "@tanstack/react-query";
import { describe, expectTypeOf, it } from "vitest";
import {
  type CreateSessionRequest,
  type CreateSessionResponse,
  createInteractClient,
  type DeleteSessionResponse,
  type ExecuteRequest,
  type ExecuteResponse,
  type InteractError,
  type ListSessionsResponse,
  type ScrapeInteractRequest,
  type ScrapeInteractResponse,
  type ScrapeRequest,
  type ScrapeResult,
  type SessionStatus,
  type StopInteractionResponse,
} from "../client/index.js";
import {
  createSessionMutationOptions,
  deleteSessionMutationOptions,
  executeMutationOptions,
  type InteractListKey,
  type InteractMutationOptions,
  interactKeys,
  listSessionsQueryOptions,
  scrapeInteractMutationOptions,
  scrapeMutationOptions,
  stopInteractionMutationOptions,
  useExecute,
  useInteractSessions,
} from "./index.js";

const client = createInteractClient({ baseUrl: "http://127.0.0.1:1/v2" });
const queryClient = new QueryClient();

describe("interactKeys", () => {
  it("are readonly tuples that keep their literals", () => {
    expectTypeOf(interactKeys.all).toEqualTypeOf<readonly ["firecrawl-interact"]>();
    expectTypeOf(interactKeys.lists()).toEqualTypeOf<readonly ["firecrawl-interact", "sessions"]>();
    expectTypeOf(interactKeys.list("active")).toEqualTypeOf<
      readonly ["firecrawl-interact", "sessions", { readonly status: SessionStatus | null }]
    >();
    expectTypeOf(interactKeys.session("id")).toEqualTypeOf<readonly ["firecrawl-interact", "session", string]>();
    expectTypeOf<InteractListKey>().toEqualTypeOf<ReturnType<typeof interactKeys.list>>();
    // @ts-expect-error the status filter is the spec's enum
    interactKeys.list("running");
  });
});

describe("listSessionsQueryOptions", () => {
  const options = listSessionsQueryOptions(client, { status: "active" });

  it("tags its key with the data and error types", () => {
    expectTypeOf(options.queryKey).toEqualTypeOf<DataTag<InteractListKey, ListSessionsResponse, InteractError>>();
    expectTypeOf(queryClient.getQueryData(options.queryKey)).toEqualTypeOf<ListSessionsResponse | undefined>();
    expectTypeOf(queryClient.fetchQuery(options)).resolves.toEqualTypeOf<ListSessionsResponse>();
  });

  it("types useQuery and useSuspenseQuery results", () => {
    const query = useQuery(options);
    expectTypeOf(query.data).toEqualTypeOf<ListSessionsResponse | undefined>();
    expectTypeOf(query.error).toEqualTypeOf<InteractError | null>();
    expectTypeOf(useSuspenseQuery(options).data).toEqualTypeOf<ListSessionsResponse>();
  });

  it("only accepts the spec's status filter", () => {
    // @ts-expect-error not a SessionStatus
    listSessionsQueryOptions(client, { status: "paused" });
  });
});

describe("mutation options", () => {
  it("type variables, data and errors of each operation", () => {
    expectTypeOf(useMutation(createSessionMutationOptions(client))).toEqualTypeOf<
      UseMutationResult<CreateSessionResponse, InteractError, CreateSessionRequest, unknown>
    >();
    expectTypeOf(useMutation(executeMutationOptions(client, "id"))).toEqualTypeOf<
      UseMutationResult<ExecuteResponse, InteractError, ExecuteRequest, unknown>
    >();
    expectTypeOf(useMutation(deleteSessionMutationOptions(client))).toEqualTypeOf<
      UseMutationResult<DeleteSessionResponse, InteractError, string, unknown>
    >();
    // @ts-expect-error execute needs a code
    useMutation(executeMutationOptions(client, "id")).mutate({ language: "node" });
  });
});

describe("thin hooks", () => {
  it("useInteractSessions infers data from select", () => {
    expectTypeOf(useInteractSessions().data).toEqualTypeOf<ListSessionsResponse | undefined>();
    const ids = useInteractSessions({ status: "active", select: (data) => data.sessions?.map((s) => s.id) ?? [] });
    expectTypeOf(ids.data).toEqualTypeOf<string[] | undefined>();
    expectTypeOf(ids.error).toEqualTypeOf<InteractError | null>();
    // @ts-expect-error the key and function come from listSessionsQueryOptions
    useInteractSessions({ queryKey: ["x"] });
  });

  it("useExecute is a typed mutation", () => {
    const execute = useExecute("id");
    expectTypeOf(execute.mutateAsync).parameter(0).toEqualTypeOf<ExecuteRequest>();
    expectTypeOf(execute.mutateAsync).returns.resolves.toEqualTypeOf<ExecuteResponse>();
    expectTypeOf(execute.error).toEqualTypeOf<InteractError | null>();
  });
});

describe("scrape mutation options", () => {
  it("type the scrape's variables, data and errors", () => {
    expectTypeOf(scrapeMutationOptions(client)).toEqualTypeOf<InteractMutationOptions<ScrapeResult, ScrapeRequest>>();
    expectTypeOf(useMutation(scrapeMutationOptions(client))).toEqualTypeOf<
      UseMutationResult<ScrapeResult, InteractError, ScrapeRequest, unknown>
    >();
    // @ts-expect-error a scrape needs its url
    useMutation(scrapeMutationOptions(client)).mutate({ formats: ["markdown"] });
  });

  it("key the scrape and type variables, data and errors", () => {
    expectTypeOf(interactKeys.scrape("id")).toEqualTypeOf<readonly ["firecrawl-interact", "scrape", string]>();
    expectTypeOf(scrapeInteractMutationOptions(client, "id")).toEqualTypeOf<
      InteractMutationOptions<ScrapeInteractResponse, ScrapeInteractRequest>
    >();
    expectTypeOf(stopInteractionMutationOptions(client)).toEqualTypeOf<
      InteractMutationOptions<StopInteractionResponse, string>
    >();
    expectTypeOf(useMutation(scrapeInteractMutationOptions(client, "id"))).toEqualTypeOf<
      UseMutationResult<ScrapeInteractResponse, InteractError, ScrapeInteractRequest, unknown>
    >();
    expectTypeOf(useMutation(stopInteractionMutationOptions(client))).toEqualTypeOf<
      UseMutationResult<StopInteractionResponse, InteractError, string, unknown>
    >();
  });

  it("take exactly one of code and prompt as variables", () => {
    const { mutate } = useMutation(scrapeInteractMutationOptions(client, "id"));
    mutate({ code: "1" });
    mutate({ prompt: "click" });
    // @ts-expect-error both code and prompt
    mutate({ code: "1", prompt: "click" });
    // @ts-expect-error neither code nor prompt
    mutate({ timeout: 30 });
    // @ts-expect-error stop takes the scrape id
    useMutation(stopInteractionMutationOptions(client)).mutate({ scrapeId: "id" });
  });
});
