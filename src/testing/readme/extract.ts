import { readFileSync } from "node:fs";

/** The heading of the README section whose code blocks are the testing examples. */
export const TESTING_SECTION = "## Testing your app";

/**
 * The files of the README's testing section: each ```tsx block whose first line is `// <name>` (`// browser.tsx: …`),
 * by file name, exactly as a reader copies them.
 */
export function readmeTestingFiles(readmePath: string): Record<string, string> {
  const readme = readFileSync(readmePath, "utf8");
  const start = readme.indexOf(`\n${TESTING_SECTION}\n`);
  if (start < 0) throw new Error(`${readmePath} has no "${TESTING_SECTION}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const files: Record<string, string> = {};
  for (const [, code] of section.matchAll(/\n```tsx\n([\s\S]*?)\n```/g)) {
    const name = /^\/\/ ([\w.-]+\.tsx?)\b/.exec(code as string)?.[1];
    if (name) files[name] = `${code}\n`;
  }
  return files;
}
