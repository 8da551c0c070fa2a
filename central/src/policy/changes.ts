import type { Database } from '../db/database.js';

// Wakes held long polls when the policy changes: at once for a change made through this
// replica, through LISTEN/NOTIFY for one made through another replica on PostgreSQL. Long
// polls also re-read the head every step, so a lost notification costs at most one step.

export const POLICY_CHANNEL = 'warden_policy';

export class PolicyChanges {
  private waiters = new Set<() => void>();
  private stopListening: (() => Promise<void>) | undefined;
  private closed = false;
  /** True while notifications from other replicas are being received. */
  listening = false;

  constructor(private readonly onRemoteChange: () => void = () => undefined) {}

  /** Resolves on the next change, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  notify() {
    for (const w of [...this.waiters]) {
      w();
    }
  }

  /** Subscribes to other replicas' changes (PostgreSQL); re-subscribes after a lost link. */
  async listen(db: Database, retryMs = 2000): Promise<void> {
    if (!db.listen || this.closed) {
      return;
    }
    const again = () => {
      this.listening = false;
      if (!this.closed) {
        setTimeout(() => void this.listen(db, retryMs).catch(again), retryMs).unref();
      }
    };
    this.stopListening = await db.listen(
      POLICY_CHANNEL,
      () => {
        this.onRemoteChange();
        this.notify();
      },
      again
    );
    this.listening = true;
  }

  async close() {
    this.closed = true;
    this.notify();
    await this.stopListening?.();
  }
}
