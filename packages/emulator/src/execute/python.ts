import { spawn } from "node:child_process";
import { spawnRun } from "./run-tree.js";
import { type ExecuteJob, type ExecuteRun, supervise } from "./supervise.js";

/** The Python the emulator runs `language: "python"` with when none is configured. */
export const DEFAULT_PYTHON = "python3";
/** What a user has to install for Python execute (the code attaches to the emulator's Chromium: no browser download). */
export const PYTHON_INSTALL_HINT = "pip install playwright";

const DETECT_TIMEOUT_MS = 30_000;
// A missing Playwright is checked again after this long, so installing it needs no emulator restart.
const NEGATIVE_CACHE_MS = 10_000;

/** The environment a Python child gets: what finds the interpreter and its packages, nothing else. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PYTHONUNBUFFERED: "1", PYTHONIOENCODING: "utf-8" };
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (
      ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "VIRTUAL_ENV"].includes(name) ||
      /^(PYTHON|PYENV|CONDA)/.test(name)
    ) {
      env[name] ??= value;
    }
  }
  return env;
}

const detections = new Map<string, { at: number; available: Promise<boolean> }>();

/** Whether `python` can import Playwright for Python; detected once per executable and cached. */
export function pythonHasPlaywright(python: string): Promise<boolean> {
  const cached = detections.get(python);
  if (cached) {
    const stale = Date.now() - cached.at > NEGATIVE_CACHE_MS;
    if (!stale) return cached.available;
    // Only a negative answer goes stale; a positive one stays.
    const refreshed = cached.available.then((available) => available || detect(python));
    detections.set(python, { at: Date.now(), available: refreshed });
    return refreshed;
  }
  const available = detect(python);
  detections.set(python, { at: Date.now(), available });
  return available;
}

function detect(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(python, ["-c", "import playwright.async_api"], { stdio: "ignore", env: pythonEnv() });
    const timer = setTimeout(() => child.kill("SIGKILL"), DETECT_TIMEOUT_MS);
    child.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/**
 * The Python runner child: reads its job from stdin, connects Playwright for Python (async API) over CDP to the
 * session's browser, picks the active tab as `page` and runs the code with top-level `await` (`page`, `context`,
 * `browser` and `asyncio` in scope); output is what it prints. An error prints its traceback (from the user's code
 * on) to stderr and is reported on fd 3.
 */
export const PYTHON_RUNNER = `
import ast, asyncio, inspect, json, linecache, os, sys, traceback

def report(value):
    try:
        os.write(3, json.dumps(value).encode("utf-8"))
    except Exception:
        pass

def print_error(error):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != "<code>":
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb if tb is not None else error.__traceback__)

async def main(job):
    from playwright.async_api import async_playwright
    async with async_playwright() as playwright:
        browser = await playwright.chromium.connect_over_cdp(job["wsEndpoint"])
        context = browser.contexts[0] if browser.contexts else await browser.new_context()
        pages = context.pages
        page = pages[0] if pages else None
        if len(pages) > 1 and job.get("activeTargetId"):
            for candidate in pages:
                cdp = await context.new_cdp_session(candidate)
                info = await cdp.send("Target.getTargetInfo")
                await cdp.detach()
                if info["targetInfo"]["targetId"] == job["activeTargetId"]:
                    page = candidate
        if page is None:
            page = await context.new_page()
        source = job["code"]
        linecache.cache["<code>"] = (len(source), None, source.splitlines(True), "<code>")
        compiled = compile(source, "<code>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        scope = {"__name__": "__main__", "__builtins__": __builtins__, "asyncio": asyncio,
                 "page": page, "context": context, "browser": browser}
        value = eval(compiled, scope)
        if inspect.iscoroutine(value):
            await value

try:
    asyncio.run(main(json.loads(sys.stdin.read())))
except BaseException as error:
    if isinstance(error, SystemExit) and error.code in (None, 0):
        sys.stdout.flush()
        sys.exit(0)
    print_error(error)
    report({"error": "".join(traceback.format_exception_only(type(error), error)).strip()})
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(1)
`;

/** Runs Python code with Playwright for Python (`python` must be able to import it). */
export function runPythonCode(job: ExecuteJob, python: string): ExecuteRun {
  const run = spawnRun(python, ["-c", PYTHON_RUNNER], {
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: pythonEnv(),
  });
  return supervise(run, {
    timeoutSeconds: job.timeoutSeconds,
    stdin: JSON.stringify({ wsEndpoint: job.wsEndpoint, activeTargetId: job.activeTargetId, code: job.code }),
    result: "stdout",
  });
}
