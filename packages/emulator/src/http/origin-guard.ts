/** The URL of an http(s) origin string (`scheme://host[:port]`, nothing after it), or undefined. */
function parseOrigin(value: string): URL | undefined {
  try {
    const url = new URL(value);
    const isHttp = url.protocol === "http:" || url.protocol === "https:";
    return isHttp && url.href === `${url.origin}/` ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The normalised `host[:port]` of a Host header (default port dropped), or undefined when it is malformed. */
const hostOf = (hostHeader: string | undefined): string | undefined =>
  hostHeader === undefined ? undefined : parseOrigin(`http://${hostHeader}`)?.host;

/**
 * Builds the Origin check that stops cross-site pages: a page on any other origin could otherwise post to the
 * emulator (a `text/plain` POST needs no preflight) or open its sockets. A request without `Origin` (curl, SDKs,
 * servers) passes; one with it passes only from the emulator's own origin (the Host it was sent to, over http or
 * https) or from one of `allowedOrigins` (e.g. `http://localhost:5173`). Throws on an entry that is not an origin.
 */
export function createOriginGuard(
  allowedOrigins: readonly string[] = [],
): (origin: string | undefined, hostHeader: string | undefined) => boolean {
  const allowed = new Set(
    allowedOrigins.map((entry) => {
      const origin = parseOrigin(entry);
      if (!origin)
        throw new TypeError(`allowedOrigins: ${JSON.stringify(entry)} is not an origin like http://localhost:5173`);
      return origin.origin;
    }),
  );
  return (originHeader, hostHeader) => {
    if (originHeader === undefined) return true;
    const origin = parseOrigin(originHeader);
    if (!origin) return false;
    const host = hostOf(hostHeader);
    return allowed.has(origin.origin) || (host !== undefined && origin.host === host);
  };
}
