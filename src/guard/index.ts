import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISessionContext } from '@jupyterlab/apputils';

import { IWardenGuard } from './tokens';

export { IWardenGuard } from './tokens';

export const guardPlugin: JupyterFrontEndPlugin<IWardenGuard> = {
  id: 'jupyterlab-warden:guard',
  description: 'Installs the Jupyter Warden kernel guard into Python kernels.',
  autoStart: true,
  provides: IWardenGuard,
  activate: (app: JupyterFrontEnd): IWardenGuard => ({
    ready: async (_: ISessionContext) => undefined
  })
};
