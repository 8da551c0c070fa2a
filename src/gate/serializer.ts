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
 *
 * A cell that needs the user (a confirm dialog, a toast, a block message) is decided only once
 * the run's earlier cells have finished in the kernel: if one of them fails, the run stops
 * there, as JupyterLab's own Run All does, and nothing later asks, tells or runs.
 */
export interface IRun {
  /** A cell of this run was refused or failed: the cells still waiting are skipped. */
  stopped: boolean;
  /** Cells of this run handed to the kernel and not finished yet. */
  running: Set<Promise<unknown>>;
}

export class RunSerializer {
  private _tail: Promise<void> = Promise.resolve();
  private _run: IRun | null = null;

  /**
   * Queue `task` behind every earlier one; it gets the run it belongs to and returns whether
   * the run may go on. Resolves with the task's result, or `false` when the run had stopped.
   */
  enqueue<T>(task: (run: IRun) => Promise<T>, skipped: () => T): Promise<T> {
    const run = this._currentRun();
    const result = this._tail.then(() => (run.stopped ? skipped() : task(run)));
    this._tail = result.then(
      () => undefined,
      () => undefined
    );
    return result;
  }

  private _currentRun(): IRun {
    if (!this._run) {
      const run: IRun = { stopped: false, running: new Set() };
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

/**
 * Wait until the cells of `run` sent so far have finished in the kernel (failed or not); their
 * own handlers mark the run stopped when one fails.
 */
export async function settleRunning(run: IRun): Promise<void> {
  while (run.running.size) {
    await Promise.all(
      [...run.running].map(p =>
        p.then(
          () => undefined,
          () => undefined
        )
      )
    );
  }
}
