import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { locateCell } from '../findings/locate';
import { IWardenFindings } from '../findings/tokens';
import { SHOW_FINDINGS } from '../notify';
import { IWardenPolicy } from '../policy';
import { runtimeRows, sortRows, staticRows } from './rows';
import { IFindingsSummary, summarize } from './summary';
import { FindingsPanel } from './view';

const shieldIcon = new LabIcon({
  name: 'jupyterlab-warden:shield',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><path class="jp-icon3" fill="#616161" d="M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm0 2.2 6 2.2V11c0 3.9-2.5 7.6-6 8.8-3.5-1.2-6-4.9-6-8.8V6.4l6-2.2z"/></svg>'
});

function summaryOf(
  panel: NotebookPanel | null,
  findings: IWardenFindings,
  policy: IWardenPolicy
): IFindingsSummary | null {
  const model = panel?.content.model;
  if (!model) {
    return null;
  }
  const order: string[] = [];
  for (const cell of model.cells) {
    order.push(cell.id);
  }
  return summarize(order, findings.registry.notebook(model), id =>
    policy.decide(id)
  );
}

/** Move to a cell and put the cursor on the finding's line. */
function reveal(
  panel: NotebookPanel,
  cellId: string,
  line: number,
  column: number
): void {
  const notebook = panel.content;
  const index = notebook.widgets.findIndex(cell => cell.model.id === cellId);
  if (index < 0) {
    return;
  }
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  const cell = notebook.widgets[index];
  void notebook.scrollToItem(index).then(() => {
    notebook.mode = 'edit';
    cell.editor?.setCursorPosition({ line: line - 1, column: column - 1 });
    cell.editor?.focus();
  });
}

export const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-warden:findings-panel',
  description:
    'Lists the findings of the current notebook and counts them in the status bar.',
  autoStart: true,
  requires: [IWardenFindings, IWardenPolicy, INotebookTracker],
  optional: [ILabShell, IStatusBar, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    findings: IWardenFindings,
    policy: IWardenPolicy,
    notebooks: INotebookTracker,
    labShell: ILabShell | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null
  ) => {
    const panel = new FindingsPanel((cellId, line, column) => {
      if (notebooks.currentWidget) {
        app.shell.activateById(notebooks.currentWidget.id);
        reveal(notebooks.currentWidget, cellId, line, column);
      }
    });
    panel.title.icon = shieldIcon;
    app.shell.add(panel, 'right', { rank: 600 });
    app.commands.addCommand(SHOW_FINDINGS, {
      label: 'Warden: Show Findings',
      caption:
        "The current notebook's findings and what the kernel guard reported",
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: SHOW_FINDINGS, category: 'Warden' });

    const locate = (cellId: string) =>
      locateCell(
        notebooks
          .filter(() => true)
          .map(nb => ({
            path: nb.context.path,
            cellIds: nb.content.widgets.map(c => c.model.id)
          })),
        cellId
      );

    const count = new Widget();
    count.addClass('jp-WardenFindingsStatus');
    count.node.dataset.testid = 'warden-findings-status';
    count.node.addEventListener('click', () =>
      app.shell.activateById(panel.id)
    );

    const refresh = () => {
      const current = notebooks.currentWidget;
      const summary = summaryOf(current, findings, policy);
      const registry = findings.registry;
      panel.render(
        [
          ...sortRows(
            staticRows(summary, (cell, rule, line) =>
              registry.lastDecision(cell, rule, line)
            )
          ),
          ...runtimeRows(registry.runtimeEvents, locate)
        ],
        current?.title.label ?? '',
        !!summary
      );
      count.node.textContent = summary?.total
        ? `⚠ ${summary.total} (${summary.worst})`
        : summary
          ? '✓ 0'
          : '';
      count.node.title = summary?.total
        ? `Jupyter Warden: ${summary.total} findings, worst ${summary.worst}`
        : 'Jupyter Warden: no findings';
      count.node.dataset.worst = summary?.worst ?? 'none';
    };
    findings.registry.changed.connect(refresh);
    // Any edit in a notebook may change its findings: refresh shortly after typing pauses.
    let pending: number | undefined;
    const soon = () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(refresh, 200);
    };
    notebooks.widgetAdded.connect((_, nb) => {
      void nb.context.ready.then(() => {
        nb.content.model?.contentChanged.connect(soon);
        soon();
      });
    });
    policy.changed.connect(refresh);
    notebooks.currentChanged.connect(refresh);
    labShell?.currentChanged.connect(refresh);
    statusBar?.registerStatusItem('jupyterlab-warden:findings', {
      item: count,
      align: 'left',
      rank: 901,
      isActive: () => !!notebooks.currentWidget
    });
    refresh();
  }
};
