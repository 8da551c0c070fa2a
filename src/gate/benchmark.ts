/**
 * In-browser benchmark of the gate (bench/gate-bench.mjs drives it): how long from the
 * executor's runCell call until the execute request is sent, with the gate and with
 * JupyterLab's own runCell, on the current notebook, in the same page and run.
 */
import {
  INotebookCellExecutor,
  NotebookPanel,
  runCell
} from '@jupyterlab/notebook';

export interface IGateBenchResult {
  cells: number;
  /** Per-cell latency (ms) from runCell to requestExecute, one cell at a time. */
  single: { bypass: number[]; gated: number[] };
  /** Run All: ms from the first runCell call to the last request sent. */
  runAll: { bypass: number[]; gated: number[] };
}

async function sendLatencies(
  panel: NotebookPanel,
  executor: INotebookCellExecutor,
  oneByOne: boolean
): Promise<number[]> {
  const kernel = panel.sessionContext.session!.kernel!;
  const notebook = panel.content;
  const original = kernel.requestExecute.bind(kernel);
  const sent: number[] = [];
  let resolveAll: () => void = () => undefined;
  const allSent = new Promise<void>(resolve => (resolveAll = resolve));
  const cells = notebook.widgets.filter(c => c.model.type === 'code');
  (kernel as any).requestExecute = (...args: any[]) => {
    sent.push(performance.now());
    if (sent.length === cells.length) {
      resolveAll();
    }
    return (original as any)(...args);
  };
  const options = (cell: (typeof cells)[number]) => ({
    cell,
    notebook: notebook.model!,
    notebookConfig: notebook.notebookConfig,
    onCellExecuted: () => undefined,
    onCellExecutionScheduled: () => undefined,
    sessionContext: panel.sessionContext
  });
  try {
    if (oneByOne) {
      const latencies: number[] = [];
      for (const cell of cells) {
        const before = sent.length;
        const start = performance.now();
        const done = executor.runCell(options(cell));
        while (sent.length === before) {
          await new Promise(r => setTimeout(r, 0));
        }
        latencies.push(sent[before] - start);
        await done;
      }
      return latencies;
    }
    const start = performance.now();
    const runs = cells.map(cell => executor.runCell(options(cell)));
    await allSent;
    const total = sent[sent.length - 1] - start;
    await Promise.all(runs);
    return [total];
  } finally {
    (kernel as any).requestExecute = original;
  }
}

export async function benchmarkGate(
  panel: NotebookPanel,
  gated: INotebookCellExecutor,
  repeats: number
): Promise<IGateBenchResult> {
  const bypass: INotebookCellExecutor = { runCell };
  const result: IGateBenchResult = {
    cells: panel.content.widgets.filter(c => c.model.type === 'code').length,
    single: { bypass: [], gated: [] },
    runAll: { bypass: [], gated: [] }
  };
  // Warm both paths (analyzer caches, JIT) before measuring; alternate to share the noise.
  await sendLatencies(panel, gated, false);
  await sendLatencies(panel, bypass, false);
  for (let i = 0; i < repeats; i++) {
    result.single.bypass.push(...(await sendLatencies(panel, bypass, true)));
    result.single.gated.push(...(await sendLatencies(panel, gated, true)));
    result.runAll.bypass.push(...(await sendLatencies(panel, bypass, false)));
    result.runAll.gated.push(...(await sendLatencies(panel, gated, false)));
  }
  return result;
}
