/**
 * The gate in front of JupyterLab's default cell executors. Notebooks and consoles differ only
 * in what a cell belongs to and how a refusal is reported (`IExecutorKind`); the gating itself
 * is one class.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Cell, CodeCell } from '@jupyterlab/cells';
import {
  IConsoleCellExecutor,
  runCell as runConsoleCell
} from '@jupyterlab/console';
import {
  INotebookCellExecutor,
  KernelError,
  runCell as runNotebookCell
} from '@jupyterlab/notebook';

import { IGateDecision } from './decision';
import { cellLanguage, isPython } from './language';
import { DocumentFinder, notebookPath } from './path';
import { IWardenGate } from './tokens';
import { blockedOutput } from './ui';

interface IRunOptions {
  cell: Cell;
  sessionContext?: ISessionContext;
}

/** What differs between a notebook's and a console's executor. */
interface IExecutorKind<O extends IRunOptions> {
  /** Does the gate check this cell (a code cell of a Python kernel)? */
  checks(options: O): boolean;
  /** What the cell belongs to: decisions are serialised per owner. */
  owner(options: O): object;
  /** The path its events name (read when an event is made: renames follow). */
  path(options: O): string;
  /** JupyterLab's own executor. */
  run(options: O): Promise<boolean>;
  /** Report the refusal to whoever called the executor. */
  refused(options: O, cancelled: boolean): void;
}

class GatedExecutor<O extends IRunOptions> {
  constructor(
    private readonly _gate: IWardenGate,
    private readonly _kind: IExecutorKind<O>
  ) {}

  runCell(options: O): Promise<boolean> {
    const kind = this._kind;
    if (!kind.checks(options)) {
      return kind.run(options);
    }
    const cell = options.cell as CodeCell;
    return this._gate.gate({
      owner: kind.owner(options),
      cell,
      path: () => kind.path(options),
      sessionContext: options.sessionContext,
      send: () => kind.run(options),
      refused: (decision, cancelled) => {
        // A cell skipped because an earlier one stopped the run has no findings to show.
        if (decision.findings.length || decision.undecided !== undefined) {
          showRefusal(cell, decision, cancelled);
        }
        kind.refused(options, cancelled);
        return false;
      }
    });
  }
}

/** `find`: the open document of a notebook model, whose path names the notebook. */
const notebookKind = (
  find?: DocumentFinder
): IExecutorKind<INotebookCellExecutor.IRunCellOptions> => ({
  checks: ({ cell, sessionContext }) =>
    cell.model.type === 'code' && isPython(cellLanguage(sessionContext)),
  owner: ({ notebook }) => notebook,
  path: options => notebookPath(options, find),
  run: options => runNotebookCell(options),
  refused: ({ cell, onCellExecuted }, cancelled) => {
    const error = new KernelError({
      status: 'error',
      ename: 'BlockedByJupyterWarden',
      evalue: cancelled ? 'cancelled' : 'blocked',
      traceback: []
    } as any);
    onCellExecuted({ cell, success: false, error });
  }
});

const CONSOLE: IExecutorKind<IConsoleCellExecutor.IRunCellOptions> = {
  checks: ({ sessionContext }) => isPython(cellLanguage(sessionContext)),
  owner: ({ sessionContext }) => sessionContext,
  // A console has no document; its session's path is its name and is not renamed.
  path: ({ sessionContext }) => sessionContext?.path ?? '',
  run: options => runConsoleCell(options),
  refused: ({ cell, onCellExecuted }, cancelled) =>
    onCellExecuted({
      cell,
      executionDate: new Date(),
      success: false,
      error: new Error(
        cancelled ? 'Cancelled by the user' : 'Blocked by Jupyter Warden'
      )
    })
};

/**
 * INotebookCellExecutor with the gate in front of JupyterLab's default `runCell`. `find`
 * names a notebook whose cell is detached (windowing) by its open document.
 */
export function gatedNotebookExecutor(
  gate: IWardenGate,
  find?: DocumentFinder
): INotebookCellExecutor {
  return new GatedExecutor(gate, notebookKind(find));
}

/** IConsoleCellExecutor with the gate in front of the console's default `runCell`. */
export function gatedConsoleExecutor(gate: IWardenGate): IConsoleCellExecutor {
  return new GatedExecutor(gate, CONSOLE);
}

/** Put the reason in the cell, where the user looks for the result. */
function showRefusal(
  cell: CodeCell,
  decision: IGateDecision,
  cancelled: boolean
): void {
  const outputs = cell.model.outputs;
  outputs.clear();
  if (cancelled) {
    outputs.add({
      output_type: 'stream',
      name: 'stderr',
      text: 'Not run: you cancelled it in the Jupyter Warden dialog.\n'
    });
  } else {
    outputs.add(blockedOutput(decision));
  }
  cell.model.executionCount = null;
}
