import type { CreateSessionRequest } from "firecrawl-interact/core";
import type { Session } from "../sessions/session.js";
import type { ScrapeAction } from "./actions.js";
import type { PageState, ScrapeData } from "./read-page.js";

export type { PageState };

/** What the first interact call on a scrape replays in its session's tab, as Firecrawl does: URL, wait, actions. */
export interface ScrapeReplay {
  /** The URL the scrape loaded. */
  url: string;
  waitForMs: number;
  actions: readonly ScrapeAction[];
  /** The scrape's timeout, the bound of the replay. */
  timeoutMs: number;
  /** Cookies and localStorage the scrape ended with, put back before the page loads. */
  state: PageState;
}

/** A remembered scrape, and the interact session opened on it (at most one in its lifetime, as on Firecrawl). */
export interface ScrapeJob {
  readonly id: string;
  /** The team of the key that made the scrape: only it may read or interact with the job. */
  readonly team: string;
  /** What the first interact call replays; undefined when the scrape kept no data (`zeroDataRetention`). */
  readonly replay: ScrapeReplay | undefined;
  /** The answer's `data`, for `GET /v2/scrape/{jobId}`; undefined when the scrape kept no data. */
  readonly data: ScrapeData | undefined;
  /** The scrape's profile, which its interact session opens with (Firecrawl takes it on the scrape, not on interact). */
  readonly profile: CreateSessionRequest["profile"];
  session?: Session | undefined;
  /** The session being opened by a first interact call, which concurrent calls wait for. */
  opening?: Promise<Session> | undefined;
  /** Epoch ms of the scrape, the last interact call or the session's end, whichever is latest. */
  lastUsed: number;
}

/** Limits of {@link ScrapeJobs}. */
export interface ScrapeJobLimits {
  /** Most jobs remembered; past it the oldest without a live session are forgotten first. */
  max: number;
  /** A job unused this long (and without a live session) is forgotten. */
  idleMs: number;
}

/** Default limits: 100 jobs, each kept an hour after its last use. */
export const DEFAULT_SCRAPE_JOB_LIMITS: ScrapeJobLimits = { max: 100, idleMs: 60 * 60 * 1000 };

const busy = (job: ScrapeJob) => job.opening !== undefined || job.session?.status === "active";

/** The scrape jobs the emulator remembers, bounded in number and forgotten after a while (checked on each use). */
export class ScrapeJobs {
  private readonly jobs = new Map<string, ScrapeJob>();

  constructor(
    private readonly limits: ScrapeJobLimits = DEFAULT_SCRAPE_JOB_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many jobs are remembered now. */
  get size(): number {
    this.prune();
    return this.jobs.size;
  }

  /** Remembers a finished scrape. */
  add(job: Omit<ScrapeJob, "lastUsed">): ScrapeJob {
    const entry: ScrapeJob = { ...job, lastUsed: this.now() };
    this.jobs.set(entry.id, entry);
    this.prune(entry);
    return entry;
  }

  /** A remembered job (its use counts as activity), or undefined when unknown or forgotten. */
  get(id: string): ScrapeJob | undefined {
    this.prune();
    const job = this.jobs.get(id);
    if (job) job.lastUsed = this.now();
    return job;
  }

  /** Records activity on a job now (e.g. its session ended). */
  touch(job: ScrapeJob): void {
    job.lastUsed = this.now();
  }

  // `added` (the job just remembered) is never the one dropped.
  private prune(added?: ScrapeJob): void {
    const now = this.now();
    for (const [id, job] of this.jobs) {
      if (!busy(job) && now - job.lastUsed > this.limits.idleMs) this.jobs.delete(id);
    }
    // Oldest first (a Map keeps insertion order): idle jobs go before jobs whose session is still open.
    for (const keepBusy of [true, false]) {
      for (const [id, job] of this.jobs) {
        if (this.jobs.size <= this.limits.max) return;
        if (job !== added && !(keepBusy && busy(job))) this.jobs.delete(id);
      }
    }
  }
}
