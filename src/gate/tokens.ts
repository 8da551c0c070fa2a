import type { ISessionContext } from '@jupyterlab/apputils';
import type { CodeCell } from '@jupyterlab/cells';
import { Token } from '@lumino/coreutils';

import type { IGateDecision } from './decision';

/** One cell to decide for, and what to do with the answer. */
export interface IGateRequest<T> {
  /** What the cell belongs to (a notebook model, a console session): decisions are serialised per owner. */
  owner: object;
  cell: CodeCell;
  /**
   * The notebook's or console's path, for events and toasts. Read when used: the notebook may
   * be renamed while the gate waits (path.ts says which path names a notebook).
   */
  path(): string;
  sessionContext?: ISessionContext;
  /** Hand the cell to JupyterLab's own executor. */
  send(): Promise<T>;
  /** Report a cell the gate did not send (blocked, cancelled, or skipped: an earlier cell of the run stopped it). */
  refused(decision: IGateDecision, cancelled: boolean): T;
}

/** The one execution gate of this page, shared by the notebook and console executors. */
export interface IWardenGate {
  /** Decide for one cell, one after another per owner so Run All keeps its order. */
  gate<T>(request: IGateRequest<T>): Promise<T>;
}

export const IWardenGate = new Token<IWardenGate>(
  'jupyterlab-warden:IWardenGate',
  'The Jupyter Warden execution gate.'
);
