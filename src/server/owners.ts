// Who owns which session behind the proxy. Sessions carry their proof themselves: the id a browser sees is the
// upstream id plus an HMAC of (user, id) under a server secret, so any instance of a serverless route can check it
// with no shared memory. Listing a user's sessions and owning a scrape's browser need a record: an OwnerStore.

/** The caller `authorize` names; every session it creates is its own, and other callers' sessions are not found. */
export interface InteractCaller {
  /** A stable id of the signed-in user (or team, or tenant): whatever should not see the others' browsers. */
  readonly userId: string;
}

/** What an {@link OwnerStore} records: a standalone session, or the browser of a scrape. */
export type OwnedKind = "session" | "scrape";

/**
 * A record of who owns what, shared by every instance of the proxy (Redis, a database table, a KV store). Needed to
 * list a user's sessions and to let a user interact with a scrape; checking a session handle needs none.
 */
export interface OwnerStore {
  /** Records that `userId` owns `id` until `expiresAt` (epoch milliseconds). */
  add(userId: string, kind: OwnedKind, id: string, expiresAt: number): Promise<void>;
  /** True when `userId` owns `id` and the record has not expired. */
  has(userId: string, kind: OwnedKind, id: string): Promise<boolean>;
  /** The ids of `kind` that `userId` owns and that have not expired. */
  list(userId: string, kind: OwnedKind): Promise<readonly string[]>;
}

/** Options of {@link createMemoryOwnerStore}. */
export interface MemoryOwnerStoreOptions {
  /** Most records kept; past it the ones that expire soonest go first (default 100,000). */
  maxRecords?: number;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/**
 * An {@link OwnerStore} in this process's memory: right for one long-lived server (Vite, Express on one instance),
 * wrong for serverless hosts, whose instances share no memory.
 */
export function createMemoryOwnerStore(options: MemoryOwnerStoreOptions = {}): OwnerStore {
  const { maxRecords = 100_000, now = Date.now } = options;
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) {
    throw new TypeError("firecrawl-interact: maxRecords must be a positive integer");
  }
  const records = new Map<string, number>();
  const keyOf = (userId: string, kind: OwnedKind, id: string) => JSON.stringify([userId, kind, id]);
  const live = (key: string) => {
    const expiresAt = records.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > now()) return true;
    records.delete(key);
    return false;
  };
  function makeRoom() {
    for (const key of records.keys()) live(key);
    if (records.size < maxRecords) return;
    const soonest = [...records].sort((a, b) => a[1] - b[1]).slice(0, records.size - maxRecords + 1);
    for (const [key] of soonest) records.delete(key);
  }
  return {
    add: async (userId, kind, id, expiresAt) => {
      const key = keyOf(userId, kind, id);
      if (!records.has(key) && records.size >= maxRecords) makeRoom();
      records.set(key, expiresAt);
    },
    has: async (userId, kind, id) => live(keyOf(userId, kind, id)),
    list: async (userId, kind) => {
      const ids: string[] = [];
      for (const key of [...records.keys()]) {
        const [owner, ownedKind, id] = JSON.parse(key) as [string, OwnedKind, string];
        if (owner === userId && ownedKind === kind && live(key)) ids.push(id);
      }
      return ids;
    },
  };
}

/** Hex characters of the signature at the end of a session handle: 128 bits. */
const SIGNATURE_LENGTH = 32;
/** The spec's longest session id; a handle must fit it, since clients validate ids against the spec. */
const MAX_HANDLE_LENGTH = 128;
const HANDLE_TAIL = new RegExp(`^-[0-9a-f]{${SIGNATURE_LENGTH}}$`);

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // One entry per secret the process has used: the API key, rotated rarely.
    if (keys.size >= 16) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

async function signature(secret: string, userId: string, id: string): Promise<string> {
  // Length-prefixed, so ("ab", "c") and ("a", "bc") never sign alike.
  const message = encoder.encode(`${userId.length}:${userId}\n${id}`);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), message));
  let hex = "";
  for (const byte of mac.subarray(0, SIGNATURE_LENGTH / 2)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Compares two strings in time that depends only on their length. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** The session id a browser sees: the upstream id and its owner's signature, or null when it would not fit. */
export async function toSessionHandle(secret: string, userId: string, id: string): Promise<string | null> {
  if (id.length + 1 + SIGNATURE_LENGTH > MAX_HANDLE_LENGTH) return null;
  return `${id}-${await signature(secret, userId, id)}`;
}

/** The upstream id behind a handle that `userId` was given, or null for anyone else's or a forged one. */
export async function fromSessionHandle(secret: string, userId: string, handle: string): Promise<string | null> {
  const cut = handle.length - SIGNATURE_LENGTH - 1;
  if (cut < 1 || !HANDLE_TAIL.test(handle.slice(cut))) return null;
  const id = handle.slice(0, cut);
  return sameText(handle.slice(cut + 1), await signature(secret, userId, id)) ? id : null;
}
