/**
 * Returns a function that replaces every occurrence of the key in a text with `[redacted]` (an upstream answer or a
 * network error that echoes it); without a key, texts pass unchanged.
 */
export const keyRedactor =
  (apiKey: string | undefined) =>
  (text: string): string =>
    apiKey ? text.replaceAll(apiKey, "[redacted]") : text;
