/**
 * Keeps Run All in order while the gate decides.
 *
 * NotebookActions.runCells calls the executor for every cell in one synchronous loop and the
 * default executor sends each execute request before returning to that loop, which keeps the
 * kernel's order. The gate may wait (a confirm dialog), so decisions for one notebook run one
 * after another, and a cell is handed to the default executor only after every earlier cell
 * has been. Calls made in the same tick form one run: when a cell of a run is blocked,
 * cancelled or fails, the cells of that run still waiting are skipped, as the kernel aborts
 * queued cells after an error.
 */
export class RunSerializer {
  private _tail: Promise<void> = Promise.resolve();
  private _run: { stopped: boolean } | null = null;

  /**
   * Queue `task` behind every earlier one; it gets the run it belongs to and returns whether
   * the run may go on. Resolves with the task's result, or `false` when the run had stopped.
   */
  enqueue<T>(
    task: (run: { stopped: boolean }) => Promise<T>,
    skipped: () => T
  ): Promise<T> {
    const run = this._currentRun();
    const result = this._tail.then(() => (run.stopped ? skipped() : task(run)));
    this._tail = result.then(
      () => undefined,
      () => undefined
    );
    return result;
  }

  private _currentRun(): { stopped: boolean } {
    if (!this._run) {
      const run = { stopped: false };
      this._run = run;
      // Everything called before the event loop turns belongs to this run.
      queueMicrotask(() => {
        if (this._run === run) {
          this._run = null;
        }
      });
    }
    return this._run;
  }
}
