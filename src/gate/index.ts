import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { CodeCell } from '@jupyterlab/cells';
import { IConsoleCellExecutor } from '@jupyterlab/console';
import {
  INotebookCellExecutor,
  INotebookModel,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IWardenFindings } from '../findings/tokens';
import { IWardenGuard } from '../guard/tokens';
import { IWardenPolicy } from '../policy';
import { benchmarkGate } from './benchmark';
import {
  CellGate,
  GatedConsoleExecutor,
  GatedNotebookExecutor
} from './executor';

/** One gate for notebooks and consoles, so both follow the same policy and settings. */
function createGate(
  findings: IWardenFindings,
  policy: IWardenPolicy,
  guard: IWardenGuard | null,
  settings: ISettingRegistry | null
): CellGate {
  let toasts = true;
  if (settings) {
    void settings.load('jupyterlab-warden:inline').then(loaded => {
      const apply = () => (toasts = loaded.composite.toasts !== false);
      loaded.changed.connect(apply);
      apply();
    });
  }
  return new CellGate({
    findings: (owner, cell: CodeCell) => {
      const id = cell.model.id;
      if ((owner as INotebookModel).cells) {
        return (
          findings.registry.notebook(owner as INotebookModel, id).get(id) ?? []
        );
      }
      return findings.registry.consoleInput(
        owner,
        id,
        cell.model.sharedModel.getSource()
      );
    },
    ran: (owner, cell) => {
      if (!(owner as INotebookModel).cells) {
        findings.registry.consoleRan(
          owner,
          cell.model.id,
          cell.model.sharedModel.getSource()
        );
      }
    },
    decide: ruleId => policy.decide(ruleId),
    confirmPolicy: () => policy.reply?.effective.confirm ?? {},
    policyRevision: () => policy.reply?.revision ?? 0,
    record: event => findings.events.send(event),
    beforeRun: guard
      ? sessionContext => guard.ready(sessionContext)
      : undefined,
    toasts: () => toasts
  });
}

let sharedGate: CellGate | null = null;

export const BENCHMARK_GATE = 'warden:benchmark-gate';

export const notebookGatePlugin: JupyterFrontEndPlugin<INotebookCellExecutor> =
  {
    id: 'jupyterlab-warden:notebook-gate',
    description:
      'Checks notebook cells against the Warden policy before they run.',
    autoStart: true,
    provides: INotebookCellExecutor,
    requires: [IWardenFindings, IWardenPolicy],
    optional: [IWardenGuard, ISettingRegistry],
    activate: (app: JupyterFrontEnd, findings, policy, guard, settings) => {
      sharedGate ??= createGate(findings, policy, guard, settings);
      const executor = new GatedNotebookExecutor(sharedGate);
      // Not in the palette: bench/gate-bench.mjs runs it to compare the gate with
      // JupyterLab's own runCell in the same page.
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
  requires: [IWardenFindings, IWardenPolicy],
  optional: [IWardenGuard, ISettingRegistry],
  activate: (app: JupyterFrontEnd, findings, policy, guard, settings) => {
    sharedGate ??= createGate(findings, policy, guard, settings);
    return new GatedConsoleExecutor(sharedGate);
  }
};
