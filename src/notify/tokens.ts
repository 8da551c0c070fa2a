import { Token } from '@lumino/coreutils';

import type { IWardenEvent } from '../events/event';
import type { IWarnedFinding } from './toasts';

/** Warden's toasts, grouped per cell run (see toasts.ts). */
export interface IWardenToasts {
  /** A warned cell runs. */
  gateWarning(
    path: string,
    cellId: string,
    findings: readonly IWarnedFinding[]
  ): void;
  /** The kernel guard reported an event. */
  runtime(event: IWardenEvent): void;
}

export const IWardenToasts = new Token<IWardenToasts>(
  'jupyterlab-warden:IWardenToasts',
  "Jupyter Warden's toasts."
);
