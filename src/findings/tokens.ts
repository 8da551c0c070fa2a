import { Token } from '@lumino/coreutils';

import { EventSender } from '../events/sender';
import { FindingsRegistry } from './registry';

/** The shared analysis of open notebooks and consoles, and the event channel to the server. */
export interface IWardenFindings {
  readonly registry: FindingsRegistry;
  readonly events: EventSender;
}

export const IWardenFindings = new Token<IWardenFindings>(
  'jupyterlab-warden:IWardenFindings',
  'Findings of open notebooks and consoles, and the Warden event channel.'
);
