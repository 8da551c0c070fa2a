import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { IWardenPolicy } from '../policy';
import { FindingsRegistry } from './registry';
import { IWardenFindings } from './tokens';

export { IWardenFindings } from './tokens';

export const findingsPlugin: JupyterFrontEndPlugin<IWardenFindings> = {
  id: 'jupyterlab-warden:findings',
  description: 'Analyses open notebooks and consoles.',
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
    return { registry };
  }
};
