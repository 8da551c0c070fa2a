import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';

import { IWardenEvents } from '../events/tokens';
import { IWardenFindings } from '../findings/tokens';
import { GuardInstaller } from './installer';
import { IWardenGuard } from './tokens';

export { IWardenGuard } from './tokens';

export const guardPlugin: JupyterFrontEndPlugin<IWardenGuard> = {
  id: 'jupyterlab-warden:guard',
  description: 'Installs the Jupyter Warden kernel guard into Python kernels.',
  autoStart: true,
  provides: IWardenGuard,
  requires: [IWardenFindings, IWardenEvents],
  activate: (
    app: JupyterFrontEnd,
    findings: IWardenFindings,
    events: IWardenEvents
  ): IWardenGuard => {
    const installer = new GuardInstaller(
      (event, recorded) => {
        findings.registry.addRuntimeEvent(event);
        // Only a kernel that cannot reach the lab server's spool (remote) needs the browser
        // to forward its events; a spooled event would reach the server twice.
        if (!recorded) {
          events.send(event);
        }
        const verb = event.action === 'blocked' ? 'blocked' : 'flagged';
        const show =
          event.action === 'blocked'
            ? Notification.error
            : Notification.warning;
        show(`Warden ${verb} a model load: ${event.message ?? event.rule_id}`, {
          autoClose: 12000
        });
      },
      why => {
        // Never a silent gap: the user learns that this kernel's loads are not guarded.
        Notification.error(
          `Warden could not install its kernel guard: ${why}. Cells still run, but model loads in this kernel are not checked. Restart the kernel to try again, or tell your admin.`,
          { autoClose: false }
        );
      }
    );
    return { ready: sessionContext => installer.ready(sessionContext) };
  }
};
