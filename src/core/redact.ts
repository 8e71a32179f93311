/**
 * Returns a function that replaces every occurrence of the key in a text with `[redacted]` (an upstream answer or a
 * network error that echoes it); without a key, texts pass unchanged.
 */
export const keyRedactor =
  (apiKey: string | undefined) =>
  (text: string): string =>
    apiKey ? text.replaceAll(apiKey, "[redacted]") : text;

type JsonNode = unknown[] | Record<string, unknown>;

/** Deepest nesting {@link redactJson} takes: far beyond any API answer, well within what JSON.stringify can write. */
export const MAX_JSON_DEPTH = 256;

/**
 * Redacts every string of a JSON text, keys included, after decoding it: a key the text spells with escapes
 * (`"\u0066c-…"`) is found as well as a plain one. Throws a RangeError past {@link MAX_JSON_DEPTH} levels.
 */
export const redactJson = (text: string, redact: (text: string) => string): string =>
  JSON.stringify(redactParsed(JSON.parse(text), redact));

/**
 * Redacts every string of an already-parsed JSON value in place, keys included, and returns it; the walk keeps its
 * own stack, so no depth recurses. Throws a RangeError past {@link MAX_JSON_DEPTH} levels.
 */
export function redactParsed(value: unknown, redact: (text: string) => string): unknown {
  const root: JsonNode = [value];
  const pending: [JsonNode, number][] = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > MAX_JSON_DEPTH) throw new RangeError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      const fixed = typeof value === "string" ? redact(value) : value;
      const name = Array.isArray(node) ? key : redact(key);
      if (name !== key) delete record[key];
      record[name] = fixed;
      if (typeof fixed === "object" && fixed !== null) pending.push([fixed as JsonNode, depth + 1]);
    }
  }
  return root[0];
}
