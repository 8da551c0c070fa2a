import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { CodeCell } from '@jupyterlab/cells';
import { IConsoleCellExecutor } from '@jupyterlab/console';
import {
  INotebookCellExecutor,
  INotebookModel,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';

import { requestWarden } from '../api/client';
import { IWardenEvents } from '../events/tokens';
import { IWardenFindings } from '../findings/tokens';
import { IWardenGuard } from '../guard/tokens';
import { IWardenInlineSettings, InlineSettings } from '../inline/settings';
import { IWardenToasts } from '../notify/tokens';
import { IWardenPolicy } from '../policy';
import { benchmarkGate } from './benchmark';
import { devCommandsWanted } from './dev';
import { gatedConsoleExecutor, gatedNotebookExecutor } from './executors';
import { CellGate } from './gate';
import { IWardenGate } from './tokens';
import { confirmRun } from './ui';

export { IWardenGate } from './tokens';

function isNotebook(owner: object): owner is INotebookModel {
  return !!(owner as INotebookModel).cells;
}

/** One gate for notebooks and consoles, so both follow the same policy and settings. */
export const gatePlugin: JupyterFrontEndPlugin<IWardenGate> = {
  id: 'jupyterlab-warden:gate',
  description: 'Decides, per the Warden policy, whether a cell may run.',
  autoStart: true,
  provides: IWardenGate,
  requires: [IWardenFindings, IWardenPolicy, IWardenEvents],
  optional: [IWardenGuard, IWardenInlineSettings, IWardenToasts],
  activate: (
    app: JupyterFrontEnd,
    findings: IWardenFindings,
    policy: IWardenPolicy,
    events: IWardenEvents,
    guard: IWardenGuard | null,
    settings: InlineSettings | null,
    toasts: IWardenToasts | null
  ): IWardenGate =>
    new CellGate({
      findings: (owner, cell: CodeCell) => {
        const id = cell.model.id;
        // Complete analyses only: a parse cut short by the editor's time budget would miss
        // what comes after the cut and let it run.
        if (isNotebook(owner)) {
          return findings.registry.notebook(owner, id, true).get(id) ?? [];
        }
        return findings.registry.consoleInput(
          owner,
          id,
          cell.model.sharedModel.getSource(),
          true
        );
      },
      ran: (owner, cell) => {
        if (!isNotebook(owner)) {
          findings.registry.consoleRan(
            owner,
            cell.model.id,
            cell.model.sharedModel.getSource()
          );
        }
      },
      decide: ruleId => policy.decide(ruleId),
      confirmPolicy: () => policy.reply?.effective.confirm ?? {},
      ignorePolicy: () => policy.reply?.effective.ignore,
      policyRevision: () => policy.reply?.revision ?? 0,
      record: event => {
        events.send(event);
        findings.registry.recordDecision(event);
      },
      policyLoaded: () => policy.loaded,
      beforeRun: guard
        ? sessionContext => guard.ready(sessionContext)
        : undefined,
      toasts: () => settings?.current.toasts ?? true,
      confirm: confirmRun,
      toast: (decision, path, cellId) =>
        toasts?.gateWarning(
          path,
          cellId,
          decision.findings.map(({ finding, severity }) => ({
            ruleId: finding.ruleId,
            severity,
            line: finding.line
          }))
        ),
      confirmWithServer: async (sessionContext, code, justification) => {
        const kernelId = sessionContext?.session?.kernel?.id;
        if (kernelId) {
          await requestWarden('gate/confirm', {
            method: 'POST',
            body: JSON.stringify({ kernel_id: kernelId, code, justification })
          });
        }
      }
    })
};

export const BENCHMARK_GATE = 'warden:benchmark-gate';

export const notebookGatePlugin: JupyterFrontEndPlugin<INotebookCellExecutor> =
  {
    id: 'jupyterlab-warden:notebook-gate',
    description:
      'Checks notebook cells against the Warden policy before they run.',
    autoStart: true,
    provides: INotebookCellExecutor,
    requires: [IWardenGate],
    activate: (app: JupyterFrontEnd, gate: IWardenGate) => {
      // JupyterLab's notebook tracker requires the cell executor this plugin provides, so it
      // cannot be a dependency: it is looked up once the application has started.
      let tracker: INotebookTracker | null = null;
      void app.started
        .then(() => app.resolveOptionalService(INotebookTracker))
        .then(found => (tracker = found))
        .catch(err => console.warn('Warden: no notebook tracker', err));
      const executor = gatedNotebookExecutor(
        gate,
        model => tracker?.find(panel => panel.model === model) ?? undefined
      );
      if (!devCommandsWanted(window.location.search)) {
        return executor;
      }
      // A developer's tool, registered only when the page is opened with ?warden-dev=1
      // (bench/gate-bench.mjs does): users never see it in the palette or shortcuts.
      app.commands.addCommand(BENCHMARK_GATE, {
        label: 'Warden: Benchmark the Execution Gate',
        execute: async args => {
          const panel = app.shell.currentWidget;
          if (!(panel instanceof NotebookPanel)) {
            throw new Error('Open the benchmark notebook first');
          }
          await panel.sessionContext.ready;
          return benchmarkGate(
            panel,
            executor,
            Number(args.repeats ?? 3)
          ) as any;
        }
      });
      return executor;
    }
  };

export const consoleGatePlugin: JupyterFrontEndPlugin<IConsoleCellExecutor> = {
  id: 'jupyterlab-warden:console-gate',
  description:
    'Checks console inputs against the Warden policy before they run.',
  autoStart: true,
  provides: IConsoleCellExecutor,
  requires: [IWardenGate],
  activate: (app: JupyterFrontEnd, gate: IWardenGate) =>
    gatedConsoleExecutor(gate)
};
