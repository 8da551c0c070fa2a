import { IWardenEvent } from './event';

/** Where a batch goes; resolves when the lab server has stored it. */
export type PostEvents = (events: IWardenEvent[]) => Promise<void>;

/**
 * Batches events to the lab server (POST /warden/events) off the execution path. A failed post
 * keeps the batch and retries with backoff; the queue is bounded and counts what it drops.
 */
export class EventSender {
  private _queue: IWardenEvent[] = [];
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _failures = 0;
  private _sending = false;
  dropped = 0;

  constructor(
    private readonly _post: PostEvents,
    private readonly _options: {
      delayMs?: number;
      maxQueue?: number;
      maxBatch?: number;
    } = {}
  ) {}

  get pending(): number {
    return this._queue.length;
  }

  send(event: IWardenEvent): void {
    const max = this._options.maxQueue ?? 5000;
    if (this._queue.length >= max) {
      // Oldest first: the newest decision is the one the user just saw.
      this._queue.shift();
      this.dropped++;
    }
    this._queue.push(event);
    this._schedule(this._options.delayMs ?? 250);
  }

  /** Send everything queued now; resolves when the queue is empty or a post failed. */
  async flush(): Promise<void> {
    if (this._sending) {
      return;
    }
    this._sending = true;
    try {
      while (this._queue.length) {
        const batch = this._queue.slice(0, this._options.maxBatch ?? 100);
        await this._post(batch);
        this._queue.splice(0, batch.length);
        this._failures = 0;
      }
    } catch (reason) {
      this._failures++;
      const backoff = Math.min(30_000, 500 * 2 ** this._failures);
      console.warn(
        `Warden: could not send ${this._queue.length} events, retrying`,
        reason
      );
      this._schedule(backoff * (0.5 + Math.random() / 2));
    } finally {
      this._sending = false;
    }
  }

  private _schedule(delay: number): void {
    if (this._timer === null) {
      this._timer = setTimeout(() => {
        this._timer = null;
        void this.flush();
      }, delay);
    }
  }
}
