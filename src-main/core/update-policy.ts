// When a downloaded update may be applied. The Electron shell downloads updates in the background
// (electron-updater) and asks this, every minute, whether to restart into the new version now. The
// answer never interrupts a sale: only after the day was closed, or when nobody has touched the
// terminal for a while, and in both cases only with no sale being built on any screen. Pure: no
// clocks of its own (durations come from a monotonic clock, so a wrong wall clock changes nothing).

/** What the core knows about the counter right now (SaleActivity.readiness()). */
export type UpdateReadiness = {
  /** Screens with a sale being built: priced, not yet completed, not signed out, touched within 15 minutes. */
  openSales: number;
  /** Milliseconds since the last API call from any screen (since the core started, when none). */
  msSinceActivity: number;
  /** Milliseconds since the manager last closed the day (the day report); null when not since start. */
  msSinceDayClosed: number | null;
};

export type UpdateDecision = {
  apply: boolean;
  reason: 'no-update' | 'sale-in-progress' | 'day-closed' | 'idle' | 'in-use';
};

export const DEFAULT_IDLE_BEFORE_UPDATE_MS = 30 * 60_000;

/** `msSinceDownload`: how long ago the update finished downloading; null when none is ready. */
export function decideUpdate(msSinceDownload: number | null, readiness: UpdateReadiness, idleMs = DEFAULT_IDLE_BEFORE_UPDATE_MS): UpdateDecision {
  if (msSinceDownload === null) return { apply: false, reason: 'no-update' };
  if (readiness.openSales > 0) return { apply: false, reason: 'sale-in-progress' };
  // The day was closed after this update arrived: the end of the day is the planned moment.
  if (readiness.msSinceDayClosed !== null && readiness.msSinceDayClosed <= msSinceDownload) return { apply: true, reason: 'day-closed' };
  if (readiness.msSinceActivity >= idleMs) return { apply: true, reason: 'idle' };
  return { apply: false, reason: 'in-use' };
}

/**
 * Follows the calls the core serves to know whether a sale is being built: a screen that priced a
 * sale (sales.preview) has one open until it completes it or signs out; one left untouched longer
 * than `abandonAfterMs` counts as abandoned (the screen's idle sign-out clears its cart too).
 */
export class SaleActivity {
  readonly #open = new Map<string, number>();
  #lastActivity: number;
  #dayClosed: number | null = null;

  constructor(
    private readonly monotonicMs: () => number = () => performance.now(),
    private readonly abandonAfterMs = 15 * 60_000,
  ) {
    this.#lastActivity = monotonicMs();
  }

  /** Every call that reached a handler, with its outcome. */
  observe(method: string, ok: boolean, screen: string | null): void {
    const now = this.monotonicMs();
    this.#lastActivity = now;
    if (!ok) return;
    const key = screen ?? 'direct';
    if (method === 'sales.preview') this.#open.set(key, now);
    else if (method === 'sales.complete' || method === 'auth.signOut') this.#open.delete(key);
    else if (method === 'reports.day') this.#dayClosed = now;
    else if (this.#open.has(key)) this.#open.set(key, now);
  }

  readiness(): UpdateReadiness {
    const now = this.monotonicMs();
    for (const [key, at] of this.#open) if (now - at > this.abandonAfterMs) this.#open.delete(key);
    return { openSales: this.#open.size, msSinceActivity: now - this.#lastActivity, msSinceDayClosed: this.#dayClosed === null ? null : now - this.#dayClosed };
  }
}
