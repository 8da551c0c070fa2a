/**
 * The execution gate: wraps JupyterLab's default cell executors. Each code cell of a Python
 * kernel is checked against the policy before its execute request is sent: warn runs it and
 * tells, confirm asks, block does not send it.
 */
import { CodeCell } from '@jupyterlab/cells';
import { ISessionContext } from '@jupyterlab/apputils';
import {
  IConsoleCellExecutor,
  runCell as runConsoleCell
} from '@jupyterlab/console';
import {
  INotebookCellExecutor,
  KernelError,
  runCell as runNotebookCell
} from '@jupyterlab/notebook';

import type { Finding } from '../analyzer';
import {
  EventAction,
  fingerprint,
  IWardenEvent,
  newEventId
} from '../events/event';
import { IGateDecision, decideCell, DecideRule } from './decision';
import { cellLanguage, isPython } from './language';
import { RunSerializer } from './serializer';
import {
  blockedOutput,
  confirmRun,
  IConfirmOutcome,
  IConfirmPolicy,
  toastWarning
} from './ui';

export interface IGateDeps {
  /** Findings of a cell, given the code that runs before it. */
  findings(owner: object, cell: CodeCell): readonly Finding[];
  /** A cell of `owner` was sent to the kernel (consoles build their import scope from it). */
  ran?(owner: object, cell: CodeCell): void;
  decide: DecideRule;
  confirmPolicy(): IConfirmPolicy;
  policyRevision(): number;
  record(event: IWardenEvent): void;
  /** Resolves when the kernel is ready for user code (e.g. its guard installed). */
  beforeRun?(sessionContext: ISessionContext): Promise<void>;
  /** Show a toast for warnings (a user preference; the event is recorded either way). */
  toasts(): boolean;
  confirm?: (
    decision: IGateDecision,
    policy: IConfirmPolicy
  ) => Promise<IConfirmOutcome>;
}

type Outcome =
  { send: true; justification?: string } | { send: false; cancelled: boolean };

export class CellGate {
  private _serializers = new WeakMap<object, RunSerializer>();

  constructor(private readonly _deps: IGateDeps) {}

  /** Decide for one cell, serialised per `owner` (a notebook or console). */
  gate<T>(
    owner: object,
    cell: CodeCell,
    path: string,
    sessionContext: ISessionContext | undefined,
    send: () => Promise<T>,
    refused: (decision: IGateDecision, cancelled: boolean) => T
  ): Promise<T> {
    let serializer = this._serializers.get(owner);
    if (!serializer) {
      serializer = new RunSerializer();
      this._serializers.set(owner, serializer);
    }
    return serializer
      .enqueue(
        async run => {
          if (sessionContext && this._deps.beforeRun) {
            await this._deps.beforeRun(sessionContext);
          }
          const decision = decideCell(
            this._deps.findings(owner, cell),
            this._deps.decide
          );
          const outcome = await this._outcome(decision);
          this._record(decision, outcome, path, cell);
          if (!outcome.send) {
            run.stopped = true;
            return { result: refused(decision, outcome.cancelled) };
          }
          // Start the default executor now (it sends the request before its first await) and
          // let the next cell's decision go ahead without waiting for this cell to finish.
          this._deps.ran?.(owner, cell);
          const started = send();
          started.then(
            ok => {
              if (ok === false) {
                run.stopped = true;
              }
            },
            () => (run.stopped = true)
          );
          return { result: started };
        },
        () => ({ result: refused({ action: 'off', findings: [] }, true) })
      )
      .then(({ result }) => result);
  }

  private async _outcome(decision: IGateDecision): Promise<Outcome> {
    switch (decision.action) {
      case 'block':
        return { send: false, cancelled: false };
      case 'confirm': {
        const ask = this._deps.confirm ?? confirmRun;
        const answer = await ask(decision, this._deps.confirmPolicy());
        return answer.run
          ? { send: true, justification: answer.justification }
          : { send: false, cancelled: true };
      }
      case 'warn':
        if (this._deps.toasts()) {
          toastWarning(decision);
        }
        return { send: true };
      default:
        return { send: true };
    }
  }

  private _record(
    decision: IGateDecision,
    outcome: Outcome,
    path: string,
    cell: CodeCell
  ) {
    const now = new Date().toISOString();
    for (const { finding, action, severity } of decision.findings) {
      let taken: EventAction;
      if (!outcome.send) {
        taken = 'blocked';
      } else if (action === 'confirm') {
        taken = 'confirmed';
      } else {
        taken = 'warned';
      }
      const cellId = cell.model.id;
      this._deps.record({
        event_id: newEventId(),
        time: now,
        kind: 'static',
        rule_id: finding.ruleId,
        severity,
        action: taken,
        fingerprint: fingerprint(
          finding.ruleId,
          path,
          cellId,
          finding.line,
          finding.column
        ),
        message: finding.message,
        location: {
          path,
          cell_id: cellId,
          line: finding.line,
          column: finding.column
        },
        evidence: {
          policy_action: action,
          cancelled_by_user: !outcome.send && action !== 'block',
          quick_fix: finding.fix ? finding.fix.title : null
        },
        justification: outcome.send ? outcome.justification : undefined,
        source: 'frontend',
        policy_revision: this._deps.policyRevision()
      });
    }
  }
}

/** INotebookCellExecutor with the gate in front of JupyterLab's default `runCell`. */
export class GatedNotebookExecutor implements INotebookCellExecutor {
  constructor(private readonly _gate: CellGate) {}

  runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const { cell, sessionContext } = options;
    if (
      cell.model.type !== 'code' ||
      !isPython(cellLanguage(sessionContext, options.notebook))
    ) {
      return runNotebookCell(options);
    }
    return this._gate.gate(
      options.notebook,
      cell as CodeCell,
      sessionContext?.path ?? '',
      sessionContext,
      () => runNotebookCell(options),
      (decision, cancelled) => {
        if (decision.findings.length) {
          showRefusal(cell as CodeCell, decision, cancelled);
        }
        const error = new KernelError({
          status: 'error',
          ename: 'BlockedByJupyterWarden',
          evalue: cancelled ? 'cancelled' : 'blocked',
          traceback: []
        } as any);
        options.onCellExecuted({ cell, success: false, error });
        return false;
      }
    );
  }
}

/** IConsoleCellExecutor with the gate in front of the console's default `runCell`. */
export class GatedConsoleExecutor implements IConsoleCellExecutor {
  constructor(private readonly _gate: CellGate) {}

  runCell(options: IConsoleCellExecutor.IRunCellOptions): Promise<boolean> {
    const { cell, sessionContext } = options;
    if (!isPython(cellLanguage(sessionContext))) {
      return runConsoleCell(options);
    }
    return this._gate.gate(
      sessionContext,
      cell,
      sessionContext.path,
      sessionContext,
      () => runConsoleCell(options),
      (decision, cancelled) => {
        showRefusal(cell, decision, cancelled);
        options.onCellExecuted({
          cell,
          executionDate: new Date(),
          success: false,
          error: new Error(
            cancelled ? 'Cancelled by the user' : 'Blocked by Jupyter Warden'
          )
        });
        return false;
      }
    );
  }
}

/** Put the reason in the cell, where the user looks for the result. */
function showRefusal(
  cell: CodeCell,
  decision: IGateDecision,
  cancelled: boolean
): void {
  const outputs = cell.model.outputs;
  outputs.clear();
  if (cancelled) {
    outputs.add({
      output_type: 'stream',
      name: 'stderr',
      text: 'Not run: you cancelled it in the Jupyter Warden dialog.\n'
    });
  } else {
    outputs.add(blockedOutput(decision));
  }
  cell.model.executionCount = null;
}
