import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { NotebookPanel } from '@jupyterlab/notebook';

import { IOpenNotebook, locateCell } from '../findings/locate';
import { gateWarningToast, runtimeToast, ToastGroups } from './toasts';
import { IWardenToasts } from './tokens';
import { notificationSink } from './view';

export { IWardenToasts } from './tokens';

export const SHOW_FINDINGS = 'warden:show-findings';

/** The open notebooks, for finding a cell by its id. */
function openNotebooks(app: JupyterFrontEnd): IOpenNotebook[] {
  const out: IOpenNotebook[] = [];
  for (const widget of app.shell.widgets('main')) {
    if (widget instanceof NotebookPanel) {
      out.push({
        path: widget.context.path,
        cellIds: widget.content.widgets.map(cell => cell.model.id)
      });
    }
  }
  return out;
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
    const locate = (cellId: string) => locateCell(openNotebooks(app), cellId);
    return {
      gateWarning: (path, cellId, findings) =>
        void groups.show(
          gateWarningToast(
            path,
            cellId,
            locate(cellId)?.number ?? null,
            findings
          )
        ),
      runtime: event => void groups.show(runtimeToast(event, locate))
    };
  }
};
