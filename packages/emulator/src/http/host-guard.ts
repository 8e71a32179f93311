import { isIP } from "node:net";

/** Splits a Host header into its hostname (brackets removed for IPv6), or undefined when it is malformed. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const found =
    /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(hostHeader) ?? /^([A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(hostHeader);
  return found?.[1]?.toLowerCase();
}

/**
 * Builds the Host check that stops DNS rebinding: a web page on an attacker's domain that resolves to 127.0.0.1
 * would otherwise be same-origin with the emulator and could run code through execute. Accepted: IP literals,
 * `localhost` (and `*.localhost`), the bound host, and any name listed in `allowedHosts`.
 */
export function createHostGuard(
  boundHost: string,
  allowedHosts: readonly string[] = [],
): (host: string | undefined) => boolean {
  const allowed = new Set([boundHost, ...allowedHosts].map((name) => name.toLowerCase().replace(/^\[|\]$/g, "")));
  return (hostHeader) => {
    const hostname = hostnameOf(hostHeader);
    if (!hostname) return false;
    return isIP(hostname) !== 0 || hostname === "localhost" || hostname.endsWith(".localhost") || allowed.has(hostname);
  };
}
