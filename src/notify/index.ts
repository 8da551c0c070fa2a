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

/** "Cell 3" as the user counts: the open notebook with that path, 1-based; null if not open. */
function cellNumberIn(app: JupyterFrontEnd) {
  return (path: string, cellId: string): number | null => {
    for (const widget of app.shell.widgets('main')) {
      if (widget instanceof NotebookPanel && widget.context.path === path) {
        const index = widget.content.widgets.findIndex(
          cell => cell.model.id === cellId
        );
        return index < 0 ? null : index + 1;
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
