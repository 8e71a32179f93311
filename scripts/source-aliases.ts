import { fileURLToPath } from "node:url";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The packages' public names mapped to their sources (as tsconfig's `paths` does for tsc and tsx), so the playground
 * and the tests import `firecrawl-interact/react` or `firecrawl-interact-emulator` exactly as an app would, unbuilt.
 */
export const sourceAliases = [
  { find: /^firecrawl-interact$/, replacement: here("../src/client/index.ts") },
  { find: /^firecrawl-interact\/react$/, replacement: here("../src/react/index.ts") },
  { find: /^firecrawl-interact\/react-query$/, replacement: here("../src/react-query/index.ts") },
  { find: /^firecrawl-interact\/server$/, replacement: here("../src/server/index.ts") },
  { find: /^firecrawl-interact\/core$/, replacement: here("../src/core/index.ts") },
  { find: /^firecrawl-interact\/vite$/, replacement: here("../src/vite/index.ts") },
  { find: /^firecrawl-interact\/testing$/, replacement: here("../src/testing/index.ts") },
  { find: /^firecrawl-interact-emulator$/, replacement: here("../packages/emulator/src/index.ts") },
];
