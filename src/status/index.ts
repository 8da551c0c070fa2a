import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';

import { requestWarden } from '../api/client';
import { IWardenStatus } from './status';
import { WardenStatusItem } from './widget';

/** How often the status item refreshes, so an admin's policy change shows without a reload. */
const REFRESH_MS = 30_000;

export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-warden:status',
  description:
    'Shows Jupyter Warden state and policy source in the status bar.',
  autoStart: true,
  optional: [IStatusBar],
  activate: (app: JupyterFrontEnd, statusBar: IStatusBar | null) => {
    const item = new WardenStatusItem();
    const refresh = async () => {
      try {
        item.render(await requestWarden<IWardenStatus>('status'));
      } catch (reason) {
        item.render(null, String((reason as Error).message ?? reason));
      }
    };
    void refresh();
    window.setInterval(() => void refresh(), REFRESH_MS);
    statusBar?.registerStatusItem('jupyterlab-warden:status', {
      item,
      align: 'left',
      rank: 900
    });
  }
};
