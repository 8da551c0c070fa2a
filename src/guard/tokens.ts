import { ISessionContext } from '@jupyterlab/apputils';
import { Token } from '@lumino/coreutils';

/** Installs the kernel guard into Python kernels and relays its events. */
export interface IWardenGuard {
  /**
   * Resolves when the session's kernel has the guard installed (or cannot have it, e.g. a
   * non-Python kernel); the execution gate waits for it before the first user cell.
   */
  ready(sessionContext: ISessionContext): Promise<void>;
}

export const IWardenGuard = new Token<IWardenGuard>(
  'jupyterlab-warden:IWardenGuard',
  'Installs the Jupyter Warden kernel guard into Python kernels.'
);
