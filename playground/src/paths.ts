import { DEFAULT_BASE_PATH } from "firecrawl-interact/core";

/** Where the dev server mounts the interact proxy: the proxy's default path (main.tsx's client uses it as baseUrl). */
export const PROXY_PATH = DEFAULT_BASE_PATH;

/** The dev server's info route the page reads its banner from (mode and start page, never the key). */
export const INFO_PATH = "/api/playground-info";
