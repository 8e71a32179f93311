import type { CdpConnection } from "./cdp.js";

interface TargetInfo {
  targetId: string;
  type: string;
}

/**
 * Follows the browser's page targets and names the active tab: the newest page still open, so the live view
 * switches to a tab as soon as the page opens it and falls back to the previous one when it closes.
 */
export class ActiveTabTracker {
  private readonly pages: string[] = [];
  private readonly listeners = new Set<(targetId: string | undefined) => void>();
  private readonly unsubscribe: () => void;

  private constructor(connection: CdpConnection) {
    this.unsubscribe = connection.onEvent((event) => {
      // Browser-level events only: a target session's own discovery is not the browser's list of tabs.
      if (event.sessionId !== undefined) return;
      const info = event.params.targetInfo as TargetInfo | undefined;
      if (event.method === "Target.targetCreated" && info?.type === "page") this.add(info.targetId);
      else if (event.method === "Target.targetDestroyed") this.remove(event.params.targetId as string);
      else if (event.method === "Target.targetCrashed") this.remove(event.params.targetId as string);
    });
  }

  /** Starts target discovery on a connection and resolves once the existing pages are known. */
  static async start(connection: CdpConnection): Promise<ActiveTabTracker> {
    const tracker = new ActiveTabTracker(connection);
    // setDiscoverTargets replays a targetCreated event for every existing target.
    await connection.send("Target.setDiscoverTargets", { discover: true });
    return tracker;
  }

  /** Target id of the active tab, if any page is open. */
  get active(): string | undefined {
    return this.pages.at(-1);
  }

  /** Every open page target, oldest first. */
  get all(): readonly string[] {
    return this.pages;
  }

  /** Calls listener whenever the active tab changes; returns the unsubscribe function. */
  onChange(listener: (targetId: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes an open page the active tab (e.g. when a client brings it to front). */
  activate(targetId: string): void {
    if (!this.pages.includes(targetId) || this.active === targetId) return;
    this.pages.splice(this.pages.indexOf(targetId), 1);
    this.pages.push(targetId);
    this.emit();
  }

  /** Stops listening. */
  stop(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private add(targetId: string): void {
    if (this.pages.includes(targetId)) return;
    this.pages.push(targetId);
    this.emit();
  }

  private remove(targetId: string): void {
    const index = this.pages.indexOf(targetId);
    if (index === -1) return;
    const wasActive = index === this.pages.length - 1;
    this.pages.splice(index, 1);
    if (wasActive) this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.active);
  }
}
