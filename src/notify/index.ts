import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { NotebookPanel } from '@jupyterlab/notebook';

import { gateWarningToast, runtimeToast, ToastGroups } from './toasts';
import { IWardenToasts } from './tokens';
import { notificationSink } from './view';

export { IWardenToasts } from './tokens';

export const SHOW_FINDINGS = 'warden:show-findings';

/**
 * "Cell 3" as the user counts, in whichever open notebook holds that cell id (ids are unique;
 * the kernel may name its notebook by another spelling of the path); null if none does.
 */
function cellNumberIn(app: JupyterFrontEnd) {
  return (_path: string, cellId: string): number | null => {
    for (const widget of app.shell.widgets('main')) {
      if (widget instanceof NotebookPanel) {
        const index = widget.content.widgets.findIndex(
          cell => cell.model.id === cellId
        );
        if (index >= 0) {
          return index + 1;
        }
      }
    }
    return null;
  };
}

export const notifyPlugin: JupyterFrontEndPlugin<IWardenToasts> = {
  id: 'jupyterlab-warden:notify',
  description: "Shows Warden's toasts, one per cell run, with their details.",
  autoStart: true,
  provides: IWardenToasts,
  // No notebook tracker: the gate needs this plugin, and the tracker needs the gate.
  activate: (app: JupyterFrontEnd): IWardenToasts => {
    const groups = new ToastGroups(
      notificationSink(() => void app.commands.execute(SHOW_FINDINGS))
    );
    const cellNumber = cellNumberIn(app);
    return {
      gateWarning: (path, cellId, findings) =>
        void groups.show(
          gateWarningToast(path, cellId, cellNumber(path, cellId), findings)
        ),
      runtime: event => void groups.show(runtimeToast(event, cellNumber))
    };
  }
};
