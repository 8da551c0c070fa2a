import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { requestWarden } from '../api/client';
import { EventSender } from '../events/sender';
import { IWardenPolicy } from '../policy';
import { FindingsRegistry } from './registry';
import { IWardenFindings } from './tokens';

export { IWardenFindings } from './tokens';

export const findingsPlugin: JupyterFrontEndPlugin<IWardenFindings> = {
  id: 'jupyterlab-warden:findings',
  description:
    'Analyses open notebooks and consoles and sends Warden events to the lab server.',
  autoStart: true,
  provides: IWardenFindings,
  requires: [IWardenPolicy],
  // No dependency on the notebook tracker: the tracker needs the cell executor, which needs
  // this plugin. Watching notebooks for edits is the findings panel's job.
  activate: (app: JupyterFrontEnd, policy: IWardenPolicy): IWardenFindings => {
    const registry = new FindingsRegistry();
    const applyPolicy = () =>
      registry.setPolicy(policy.reply?.effective ?? null);
    policy.changed.connect(applyPolicy);
    applyPolicy();

    const events = new EventSender(async batch => {
      await requestWarden('events', {
        method: 'POST',
        body: JSON.stringify({ events: batch })
      });
    });
    window.addEventListener('beforeunload', () => void events.flush());
    return { registry, events };
  }
};
