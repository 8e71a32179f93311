import type { IncomingMessage } from "node:http";
import { EmulatorHttpError } from "../errors.js";

/** The checks a request or upgrade passes before it is routed: its Host (DNS rebinding) and Origin (cross-site). */
export interface RequestGuards {
  /** The Host check, see `createHostGuard`. */
  readonly hostAllowed: (host: string | undefined) => boolean;
  /** The Origin check, see `createOriginGuard`. */
  readonly originAllowed: (origin: string | undefined, host: string | undefined) => boolean;
}

// Only a target's path and query are ever read; the host part is a placeholder.
const BASE = "http://emulator.invalid";

/**
 * Parses an origin-form request target (`/path?query`), the only form the emulator serves; anything else (`//`,
 * `*`, an absolute URL) is a 400, never a bare `TypeError` (`new URL("//", base)` throws one).
 */
export function parseRequestTarget(target: string | undefined): URL {
  if (target?.startsWith("/") && !target.startsWith("//")) {
    try {
      return new URL(`${BASE}${target}`);
    } catch {
      // Answered below, as every other malformed target is.
    }
  }
  throw new EmulatorHttpError(400, "BAD_REQUEST", "Malformed request target");
}

/**
 * Admits a request or an upgrade: a target it can parse (else 400), an allowed Host and an allowed Origin (else 403).
 * Returns the parsed target.
 */
export function admitRequest(guards: RequestGuards, request: IncomingMessage): URL {
  const url = parseRequestTarget(request.url);
  const { host, origin } = request.headers;
  if (!guards.hostAllowed(host)) throw new EmulatorHttpError(403, "forbidden", "Host not allowed");
  if (!guards.originAllowed(origin, host)) throw new EmulatorHttpError(403, "forbidden", "Origin not allowed");
  return url;
}

/**
 * Refuses a request that carries a body in anything but JSON with a 415 (a `text/plain` or form POST is what a page
 * on another site can send without a preflight). A request without a body passes.
 */
export function assertJsonBody(request: IncomingMessage): void {
  const length = request.headers["content-length"];
  const hasBody = request.headers["transfer-encoding"] !== undefined || (length !== undefined && Number(length) !== 0);
  const type = request.headers["content-type"] ?? "";
  if (hasBody && !/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new EmulatorHttpError(415, "unsupported_media_type", "Request body must be sent as application/json");
  }
}
