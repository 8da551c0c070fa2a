import type { ISessionContext } from '@jupyterlab/apputils';
import type { CodeCell } from '@jupyterlab/cells';
import { Token } from '@lumino/coreutils';

import type { IGateDecision } from './decision';

/** The one execution gate of this page, shared by the notebook and console executors. */
export interface IWardenGate {
  /**
   * Decide for one cell of `owner` (a notebook model or a console session), one cell after
   * another per owner so Run All keeps its order. `send` hands the cell to JupyterLab's own
   * executor; `refused` reports a cell the gate did not send (blocked, cancelled by the user,
   * or skipped because an earlier cell of the same run was).
   */
  gate<T>(
    owner: object,
    cell: CodeCell,
    path: string,
    sessionContext: ISessionContext | undefined,
    send: () => Promise<T>,
    refused: (decision: IGateDecision, cancelled: boolean) => T
  ): Promise<T>;
}

export const IWardenGate = new Token<IWardenGate>(
  'jupyterlab-warden:IWardenGate',
  'The Jupyter Warden execution gate.'
);
