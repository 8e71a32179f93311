import type { ResolvedLimits } from "./limits.js";
import { fromSessionHandle, type InteractCaller, type OwnerStore, toSessionHandle } from "./owners.js";
import { errorResponse } from "./respond.js";
import type { ProxiedOperation, ProxiedOperationId } from "./routes.js";

/** Whose request this is: one named user (sessions are theirs alone), or anyone, with `passThrough`. */
export type Access =
  | { readonly kind: "owner"; readonly userId: string; readonly secret: string; readonly store?: OwnerStore }
  | { readonly kind: "shared" };

/** How long a scrape's owner is remembered when the store is told of it: a day, longer than any scrape is kept. */
export const SCRAPE_OWNERSHIP_MS = 24 * 60 * 60 * 1000;
/** Longest user id accepted from `authorize`: ids are hashed, but a store may keep them. */
const MAX_USER_ID_LENGTH = 256;

const sessionNotFound = () => errorResponse(404, "not_found", "Browser session not found.");
const jobNotFound = () => errorResponse(404, "not_found", "Job not found.");
const storeRequired = (what: string) =>
  errorResponse(501, "owner_store_required", `${what} needs an owner store: pass \`store\` to the interact proxy`);

/** The caller `authorize` named, or the answer when it named none that the proxy can keep apart. */
export function callerAccess(
  decision: boolean | InteractCaller | null | undefined,
  passThrough: boolean,
  secret: string,
  store: OwnerStore | undefined,
): Access | Response {
  if (!decision) return errorResponse(401, "unauthorized", "Not authorized to use the interact API");
  if (passThrough) return { kind: "shared" };
  const userId = decision === true ? undefined : decision.userId;
  if (typeof userId !== "string" || userId === "" || userId.length > MAX_USER_ID_LENGTH) {
    // A configuration bug: without a user the proxy cannot keep one user's sessions from another.
    return errorResponse(500, "internal_error", "authorize must return { userId } (or the proxy set passThrough)");
  }
  return store ? { kind: "owner", userId, secret, store } : { kind: "owner", userId, secret };
}

/** Path parameters to send upstream, or the answer when the caller does not own what the path names. */
export async function ownedParams(
  access: Access,
  operationId: ProxiedOperationId,
  params: Readonly<Record<string, string>>,
): Promise<Readonly<Record<string, string>> | Response> {
  if (access.kind === "shared") return params;
  const { sessionId, jobId } = params;
  if (sessionId !== undefined) {
    const id = await fromSessionHandle(access.secret, access.userId, sessionId);
    return id === null ? sessionNotFound() : { ...params, sessionId: id };
  }
  if (jobId !== undefined) {
    if (!access.store) return storeRequired("Interacting with a scrape per user");
    return (await access.store.has(access.userId, "scrape", jobId)) ? params : jobNotFound();
  }
  if (operationId === "listBrowserSessions" && !access.store) return storeRequired("Listing sessions per user");
  return params;
}

/** The upstream path of an operation with its parameters filled in (raw, as matched). */
export const upstreamPath = (operation: ProxiedOperation, params: Readonly<Record<string, string>>): string =>
  operation.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Drops what the limits keep on the server: the CDP URL (full control of the browser), the interactive live view. */
function withoutServerOnlyUrls(value: Json, limits: ResolvedLimits): Json {
  const { cdpUrl, interactiveLiveViewUrl, ...rest } = value;
  return {
    ...rest,
    ...(limits.exposeCdpUrl && cdpUrl !== undefined ? { cdpUrl } : {}),
    ...(limits.allowInteractiveLiveView && interactiveLiveViewUrl !== undefined ? { interactiveLiveViewUrl } : {}),
  };
}

/** Puts the caller's handle in place of a session's upstream id; null when the id cannot carry one. */
async function asHandle(access: Access, session: Json): Promise<Json | null> {
  if (access.kind === "shared" || typeof session.id !== "string") return session;
  const handle = await toSessionHandle(access.secret, access.userId, session.id);
  return handle === null ? null : { ...session, id: handle };
}

function expiryOf(session: Json): number {
  const at = typeof session.expiresAt === "string" ? Date.parse(session.expiresAt) : Number.NaN;
  // No expiry in the answer: remember it for a day; upstream ends the session long before.
  return Number.isNaN(at) ? Date.now() + SCRAPE_OWNERSHIP_MS : at;
}

/** The scrape id of a scrape answer (`data.metadata.scrapeId`), when it has one. */
function scrapeIdOf(answer: Json): string | undefined {
  const metadata = isRecord(answer.data) ? answer.data.metadata : undefined;
  const id = isRecord(metadata) ? metadata.scrapeId : undefined;
  return typeof id === "string" ? id : undefined;
}

/**
 * Rewrites a successful upstream answer for the caller: server-only URLs dropped, session ids (of a create, a
 * status, a list) turned into the caller's handles, a list cut to the caller's own sessions (ended ones too, until
 * their record expires), and the store told of new sessions and scrapes.
 */
export async function answerForCaller(
  access: Access,
  operationId: ProxiedOperationId,
  answer: Json,
  limits: ResolvedLimits,
): Promise<Json | null> {
  // The store to tell, and whom of: only a named caller's answers are recorded.
  const owner = access.kind === "owner" && access.store ? { userId: access.userId, store: access.store } : null;
  if (operationId === "scrapeAndExtractFromUrl") {
    const scrapeId = scrapeIdOf(answer);
    // The scrape's browser is the caller's to interact with; without a store, interacting answers 501.
    if (scrapeId && owner) await owner.store.add(owner.userId, "scrape", scrapeId, Date.now() + SCRAPE_OWNERSHIP_MS);
    return withoutServerOnlyUrls(answer, limits);
  }
  if (operationId === "getBrowserSession") {
    // A session's status carries its upstream id: the caller gets its own handle back, as from create.
    return asHandle(access, withoutServerOnlyUrls(answer, limits));
  }
  if (operationId === "createBrowserSession") {
    const session = await asHandle(access, withoutServerOnlyUrls(answer, limits));
    if (session && owner && typeof answer.id === "string") {
      await owner.store.add(owner.userId, "session", answer.id, expiryOf(answer));
    }
    return session;
  }
  if (operationId !== "listBrowserSessions" || !Array.isArray(answer.sessions)) {
    return withoutServerOnlyUrls(answer, limits);
  }
  const owned = owner ? new Set(await owner.store.list(owner.userId, "session")) : null;
  const sessions: Json[] = [];
  for (const session of answer.sessions) {
    if (!isRecord(session) || (owned && !owned.has(session.id as string))) continue;
    const mine = await asHandle(access, withoutServerOnlyUrls(session, limits));
    if (mine) sessions.push(mine);
  }
  return { ...answer, sessions };
}
