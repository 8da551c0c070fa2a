import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';

import { IWardenFindings } from '../findings/tokens';
import { GuardInstaller } from './installer';
import { IWardenGuard } from './tokens';

export { IWardenGuard } from './tokens';

export const guardPlugin: JupyterFrontEndPlugin<IWardenGuard> = {
  id: 'jupyterlab-warden:guard',
  description: 'Installs the Jupyter Warden kernel guard into Python kernels.',
  autoStart: true,
  provides: IWardenGuard,
  requires: [IWardenFindings],
  activate: (app: JupyterFrontEnd, findings: IWardenFindings): IWardenGuard => {
    const installer = new GuardInstaller(event => {
      findings.registry.addRuntimeEvent(event);
      // The kernel also spools it for the server; the same event_id is stored once.
      findings.events.send(event);
      const verb = event.action === 'blocked' ? 'blocked' : 'flagged';
      const show =
        event.action === 'blocked' ? Notification.error : Notification.warning;
      show(`Warden ${verb} a model load: ${event.message ?? event.rule_id}`, {
        autoClose: 12000
      });
    });
    return { ready: sessionContext => installer.ready(sessionContext) };
  }
};
