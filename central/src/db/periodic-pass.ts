import type { Database } from './database.js';

/**
 * A clean-up pass run on a timer by every replica: never two at once on one replica, and on
 * PostgreSQL by one replica at a time (a transaction-scoped advisory lock; the others skip
 * that round). Subclasses write the pass; it runs inside the transaction holding the lock.
 */
export abstract class LockedPeriodicPass {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  protected constructor(
    protected readonly db: Database,
    /** The advisory lock key: one per kind of pass. */
    private readonly lockKey: number,
    private readonly onError: (e: Error) => void
  ) {}

  /** Whether the pass has anything to do under its settings (a timer is started only then). */
  protected abstract enabled(): boolean;

  /** One pass inside the locked transaction; returns how many rows it deleted. */
  protected abstract pass(tx: Database, now: number): Promise<number>;

  start(intervalMs: number) {
    if (this.timer || intervalMs <= 0 || !this.enabled()) {
      return;
    }
    this.timer = setInterval(
      () => void this.enforce().catch(e => this.onError(e as Error)),
      intervalMs
    );
    this.timer.unref();
  }

  async stop() {
    if (this.timer) {
      clearInterval(this.timer);
    }
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass now (joins the running one); returns how many rows it deleted. */
  enforce(now = Date.now()): Promise<number> {
    this.running ??= this.locked(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private locked(now: number): Promise<number> {
    if (!this.enabled()) {
      return Promise.resolve(0);
    }
    return this.db.transaction(async tx => {
      if (tx.dialect === 'postgres') {
        const got = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
          this.lockKey
        ]);
        if (!got[0]?.ok) {
          return 0;
        }
      }
      return this.pass(tx, now);
    });
  }
}
