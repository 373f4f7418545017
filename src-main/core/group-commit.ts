import type { Database } from 'better-sqlite3';
import { KasaError } from '../../src-shared/api/errors';
import type { ApiResult } from '../../src-shared/api/result';
import { toApiError } from './dispatch';
import type { EventBus } from './event-bus';
import type { Logger } from './logger';

/** Methods whose calls through dispatchAsync may share one transaction (one fsync) with others waiting. */
export const GROUP_COMMITTED_METHODS: ReadonlySet<string> = new Set(['sales.complete']);

type Waiting = { method: string; run: () => ApiResult<unknown>; resolve: (result: ApiResult<unknown>) => void };

/**
 * Group commit: calls that arrive while others wait (several lanes, several POS clients) run one
 * after another inside ONE SQLite transaction, and each is answered only after it commits. Every
 * call keeps its own nested transaction, which better-sqlite3 runs as a savepoint: a call that
 * fails rolls back only its own writes, and every call still writes its own audit record, ledger
 * entries (seq and hash chain continue call by call) and outbox rows. A call that finds nobody
 * waiting runs on the next event-loop turn in its own transaction, exactly as a direct call.
 * Events the calls emit go out only once their transaction committed.
 */
export function createGroupCommit(db: Database, events: EventBus, log: Logger) {
  let waiting: Waiting[] = [];
  let groups = 0;
  let grouped = 0;

  function flush(): void {
    const batch = waiting;
    waiting = [];
    groups += 1;
    grouped += batch.length;
    const [only] = batch;
    if (only && batch.length === 1) {
      only.resolve(only.run());
      return;
    }
    let results: ApiResult<unknown>[];
    events.hold();
    try {
      results = db.transaction(() =>
        batch.map((w) => {
          // Some errors (a full disk) make SQLite end the whole transaction: nothing may run outside it.
          if (!db.inTransaction) throw new KasaError('STORAGE', 'The database ended the transaction; nothing was recorded');
          return w.run();
        }),
      )();
    } catch (error) {
      // The commit failed: none of the group is recorded, and each caller is told so.
      events.drop();
      for (const w of batch) w.resolve({ ok: false, error: toApiError(w.method, error, log) });
      return;
    }
    events.release();
    batch.forEach((w, i) => w.resolve(results[i] ?? { ok: false, error: { code: 'INTERNAL', message: `${w.method} failed unexpectedly; nothing was recorded` } }));
  }

  return {
    /** Runs `run` (a synchronous dispatch) in the next group; resolves once its transaction committed. */
    run(method: string, run: () => ApiResult<unknown>): Promise<ApiResult<unknown>> {
      return new Promise((resolve) => {
        waiting.push({ method, run, resolve });
        if (waiting.length === 1) setImmediate(flush);
      });
    },
    /** Groups committed so far and the calls in them (calls per fsync = grouped / groups). */
    stats: () => ({ groups, grouped }),
  };
}
