/** Firecrawl's v2 API root: where the client and the proxy send requests when no `baseUrl` is given. */
export const DEFAULT_BASE_URL = "https://api.firecrawl.dev/v2";

/** Path the proxy is mounted at when no `basePath` is given; the browser's client then uses it as its `baseUrl`. */
export const DEFAULT_BASE_PATH = "/api/firecrawl";
