import { isBelow } from "./server.js";

/**
 * The part of msw's `http` namespace the fake uses (msw 2: `import { http } from "msw"`): `http.all(path, resolver)`.
 * Typed structurally, so the fake needs no msw of its own.
 */
export interface MswHttp<Handler> {
  all(path: string, resolver: (info: { request: Request }) => Promise<Response | undefined>): Handler;
}

/**
 * One MSW handler that hands every request under `baseUrl` to the fake (another origin's, when `baseUrl` is absolute,
 * and paths outside it fall through to your other handlers); a dropped call is a network error.
 */
export function mswHandlers<Handler>(
  http: MswHttp<Handler>,
  baseUrl: string,
  basePath: string,
  fetch: (request: Request) => Promise<Response>,
): Handler[] {
  const origin = /^[a-z][a-z\d+.-]*:/i.test(baseUrl) ? new URL(baseUrl).origin : undefined;
  return [
    http.all("*", async ({ request }) => {
      const url = new URL(request.url);
      if ((origin !== undefined && url.origin !== origin) || !isBelow(url.pathname, basePath)) return undefined;
      try {
        return await fetch(request);
      } catch (error) {
        // A dropped call (an injected `drop: true`): MSW answers a network error for `Response.error()`.
        if (error instanceof TypeError) return Response.error();
        throw error;
      }
    }),
  ];
}
