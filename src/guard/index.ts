import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';

import { IWardenEvents } from '../events/tokens';
import { IWardenFindings } from '../findings/tokens';
import { IWardenToasts } from '../notify/tokens';
import { showToastDetails } from '../notify/view';
import { GuardInstaller } from './installer';
import { IWardenGuard } from './tokens';

export { IWardenGuard } from './tokens';

export const guardPlugin: JupyterFrontEndPlugin<IWardenGuard> = {
  id: 'jupyterlab-warden:guard',
  description: 'Installs the Jupyter Warden kernel guard into Python kernels.',
  autoStart: true,
  provides: IWardenGuard,
  requires: [IWardenFindings, IWardenEvents, IWardenToasts],
  activate: (
    app: JupyterFrontEnd,
    findings: IWardenFindings,
    events: IWardenEvents,
    toasts: IWardenToasts
  ): IWardenGuard => {
    const installer = new GuardInstaller(
      (event, recorded) => {
        findings.registry.addRuntimeEvent(event);
        // Only a kernel that cannot reach the lab server's spool (remote) needs the browser
        // to forward its events; a spooled event would reach the server twice.
        if (!recorded) {
          events.send(event);
        }
        toasts.runtime(event);
      },
      why => {
        // Never a silent gap: the user learns that this kernel's loads are not guarded.
        Notification.error(
          'Warden: model loads in this kernel are NOT checked',
          {
            autoClose: false,
            actions: [
              {
                label: 'Details',
                callback: () =>
                  showToastDetails({
                    key: 'guard-install',
                    type: 'error',
                    message: 'Warden could not install its kernel guard',
                    items: [
                      {
                        ruleId: 'guard-not-installed',
                        severity: 'high',
                        outcome: 'not guarded',
                        title: 'The kernel guard could not be installed',
                        explanation: `${why}. Cells still run, but model loads in this kernel are not checked.`,
                        remediation:
                          'Restart the kernel to try again, or tell your admin.',
                        where: 'this kernel'
                      }
                    ]
                  })
              }
            ]
          }
        );
      }
    );
    return { ready: sessionContext => installer.ready(sessionContext) };
  }
};
