import { Token } from '@lumino/coreutils';

import { IWardenEvent } from './event';

/** The one channel of Warden events from this page to the lab server (POST /warden/events). */
export interface IWardenEvents {
  /** Queue an event; it is sent in a batch off the execution path. */
  send(event: IWardenEvent): void;
  /** Send everything queued now. */
  flush(): Promise<void>;
  /** Events queued and not yet stored by the server. */
  readonly pending: number;
}

export const IWardenEvents = new Token<IWardenEvents>(
  'jupyterlab-warden:IWardenEvents',
  'Sends Jupyter Warden events to the lab server.'
);
