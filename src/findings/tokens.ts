import { Token } from '@lumino/coreutils';

import { FindingsRegistry } from './registry';

/** The shared analysis of open notebooks and consoles. */
export interface IWardenFindings {
  readonly registry: FindingsRegistry;
}

export const IWardenFindings = new Token<IWardenFindings>(
  'jupyterlab-warden:IWardenFindings',
  'Findings of open notebooks and consoles.'
);
