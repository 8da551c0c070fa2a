import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';

import { requestWarden } from '../api/client';
import { IWardenPolicy, SHOW_POLICY } from '../policy';
import { IWardenStatus } from './status';
import { WardenStatusItem } from './widget';

export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-warden:status',
  description:
    'Shows Jupyter Warden state and policy source in the status bar.',
  autoStart: true,
  requires: [IWardenPolicy],
  optional: [IStatusBar],
  activate: (
    app: JupyterFrontEnd,
    policy: IWardenPolicy,
    statusBar: IStatusBar | null
  ) => {
    const item = new WardenStatusItem(
      () => void app.commands.execute(SHOW_POLICY)
    );
    let status: IWardenStatus | null = null;
    let statusError: string | null = null;
    const render = () =>
      item.render(status, policy.reply, statusError ?? policy.error);
    policy.changed.connect(render);
    requestWarden<IWardenStatus>('status')
      .then(reply => (status = reply))
      .catch(
        reason => (statusError = String((reason as Error).message ?? reason))
      )
      .then(render);
    statusBar?.registerStatusItem('jupyterlab-warden:status', {
      item,
      align: 'left',
      rank: 900
    });
  }
};
