import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createInteractClient } from "../client/client.js";
import { createFakeFirecrawl } from "./fake-firecrawl.js";

// The app's own client, as it runs in production, with the network mocked by MSW 2 and answered by the fake.
const fake = createFakeFirecrawl();
const server = setupServer(
  ...fake.handlers(http),
  http.get("https://elsewhere.example/ping", () => HttpResponse.text("pong")),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  fake.clearFaults();
});
afterAll(() => server.close());

describe("fake.handlers(http) with msw 2", () => {
  const client = createInteractClient({ apiKey: "fc-app-key" });

  it("answers the app's client at Firecrawl's URL with the fake's state", async () => {
    const created = await client.createSession({ ttl: 120 });
    expect((await client.listSessions({ status: "active" })).sessions?.map((s) => s.id)).toEqual([created.id]);
    await client.deleteSession(created.id as string);
    await expect(client.deleteSession(created.id as string)).rejects.toMatchObject({
      status: 410,
      code: "session_destroyed",
    });
    expect(fake.requests.at(-1)).toMatchObject({
      method: "DELETE",
      status: 410,
      headers: { authorization: "Bearer fc-app-key" },
    });
  });

  it("lets other requests through to the other handlers", async () => {
    expect(await (await fetch("https://elsewhere.example/ping")).text()).toBe("pong");
  });

  it("turns a dropped call into a network error, as the real network would", async () => {
    fake.injectFault({ operationId: "listBrowserSessions", drop: true });
    await expect(client.listSessions()).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("mounts at a proxy path on any origin when baseUrl is relative", async () => {
    const proxied = createFakeFirecrawl({ baseUrl: "/api/firecrawl" });
    server.use(...proxied.handlers(http));
    const app = createInteractClient({ baseUrl: "http://app.test/api/firecrawl" });
    expect((await app.createSession()).success).toBe(true);
    expect(proxied.sessions()).toHaveLength(1);
  });
});
