/**
 * The execution gate's logic: each code cell of a Python kernel is checked against the policy
 * before its execute request is sent: warn runs it and tells, confirm asks, block does not
 * send it. No JupyterLab runtime imports (the dialogs come in through IGateDeps), so jest
 * tests it without a browser; executors.ts wires it in front of JupyterLab's runCell.
 */
import type { CodeCell } from '@jupyterlab/cells';
import type { ISessionContext } from '@jupyterlab/apputils';

import type { Finding, IgnorePolicy } from '../analyzer';
import {
  EventAction,
  fingerprint,
  IWardenEvent,
  newEventId
} from '../events/event';
import {
  decideCell,
  DecideRule,
  IConfirmOutcome,
  IConfirmPolicy,
  IDecidedFinding,
  IGateDecision
} from './decision';
import { IRun, RunSerializer, settleRunning } from './serializer';
import type { IGateRequest, IWardenGate } from './tokens';

export interface IGateDeps {
  /** Findings of a cell, given the code that runs before it. */
  findings(owner: object, cell: CodeCell): readonly Finding[];
  /** A cell of `owner` was sent to the kernel (consoles build their import scope from it). */
  ran?(owner: object, cell: CodeCell): void;
  decide: DecideRule;
  confirmPolicy(): IConfirmPolicy;
  /** The policy's `ignore` section: which actions an ignore comment may lift. */
  ignorePolicy?(): IgnorePolicy | undefined;
  policyRevision(): number;
  record(event: IWardenEvent): void;
  /** Resolves once the lab's policy is known (the first answer, or error, of the server). */
  policyLoaded?(): Promise<void>;
  /** Resolves when the kernel is ready for user code (e.g. its guard installed). */
  beforeRun?(sessionContext: ISessionContext): Promise<void>;
  /** Show a toast for warnings (a user preference; the event is recorded either way). */
  toasts(): boolean;
  /** Ask the user whether to run a cell the policy wants confirmed. */
  confirm(
    decision: IGateDecision,
    policy: IConfirmPolicy
  ): Promise<IConfirmOutcome>;
  /** Tell the user a warned cell of `path` runs. */
  toast(decision: IGateDecision, path: string, cellId: string): void;
  /**
   * Record the user's confirmation with the lab server (POST /warden/gate/confirm) before the
   * cell is sent: the server gate refuses confirm-rule code it holds no confirmation for.
   */
  confirmWithServer?(
    sessionContext: ISessionContext | undefined,
    code: string,
    justification?: string
  ): Promise<void>;
}

/** The decision reported for a cell skipped because an earlier cell of its run stopped it. */
const SKIPPED: IGateDecision = { action: 'off', findings: [] };

/** The decision for a cell the gate could not decide for: refused, with the reason. */
function undecided(reason: string): IGateDecision {
  return { action: 'block', findings: [], undecided: reason };
}

/** Same action for the same findings (rule and place): what the user was asked still holds. */
function sameDecision(a: IGateDecision, b: IGateDecision): boolean {
  const key = (d: IGateDecision) =>
    JSON.stringify([
      d.action,
      d.findings.map(({ finding: f, action }) => [
        f.ruleId,
        f.line,
        f.column,
        action
      ])
    ]);
  return key(a) === key(b);
}

type Outcome =
  { send: true; justification?: string } | { send: false; cancelled: boolean };

export class CellGate implements IWardenGate {
  private _serializers = new WeakMap<object, RunSerializer>();

  constructor(private readonly _deps: IGateDeps) {}

  /** Decide for one cell, serialised per `owner` (a notebook or console). */
  gate<T>(request: IGateRequest<T>): Promise<T> {
    const { owner, refused } = request;
    let serializer = this._serializers.get(owner);
    if (!serializer) {
      serializer = new RunSerializer();
      this._serializers.set(owner, serializer);
    }
    return serializer
      .enqueue(
        run =>
          this._decideAndSend(request, run).catch(err => {
            // Fail closed: a cell the gate could not decide for is not sent, says why, and
            // stops its run like any refusal.
            run.stopped = true;
            const reason = err instanceof Error ? err.message : String(err);
            console.error('Warden: the gate could not decide', reason);
            return { result: refused(undecided(reason), false) };
          }),
        () => ({ result: refused(SKIPPED, true) })
      )
      .then(({ result }) => result);
  }

  /**
   * Decide for one cell and send it or refuse it. The decision is taken again right before the
   * cell is sent: between the first decision and the send the gate may wait (the kernel guard,
   * the earlier cells of the run, the user's answer), and the cell may have been edited
   * meanwhile; what is sent is what the last decision saw.
   */
  private async _decideAndSend<T>(
    request: IGateRequest<T>,
    run: IRun
  ): Promise<{ result: T | Promise<T> }> {
    const { owner, cell, path, sessionContext, send, refused } = request;
    if (this._deps.policyLoaded) {
      // Decide on the lab's policy, not the catalog defaults of a page still loading it.
      await this._deps.policyLoaded();
    }
    if (sessionContext && this._deps.beforeRun) {
      await this._deps.beforeRun(sessionContext);
    }
    const decideNow = () =>
      decideCell(
        this._deps.findings(owner, cell),
        this._deps.decide,
        this._deps.ignorePolicy?.()
      );
    let decision = decideNow();
    for (;;) {
      if (decision.action !== 'off' && run.running.size) {
        // Ask, tell or refuse only if the cells before it in this run succeed.
        await settleRunning(run);
        if (run.stopped) {
          return { result: refused(SKIPPED, true) };
        }
      }
      const outcome = await this._outcome(decision, path(), cell.model.id);
      if (
        outcome.send &&
        decision.action === 'confirm' &&
        this._deps.confirmWithServer
      ) {
        // If this fails the server refuses the cell and its reply says why.
        await this._deps
          .confirmWithServer(
            sessionContext,
            cell.model.sharedModel.getSource(),
            outcome.justification
          )
          .catch(err => console.warn('Warden: confirmation not recorded', err));
      }
      if (outcome.send) {
        // Synchronously before send(): nothing can change the cell in between.
        const now = decideNow();
        if (!sameDecision(now, decision)) {
          decision = now;
          continue;
        }
      }
      this._record(decision, outcome, path(), cell);
      if (!outcome.send) {
        run.stopped = true;
        return { result: refused(decision, outcome.cancelled) };
      }
      break;
    }
    // Start the default executor now (it sends the request before its first await) and
    // let the next cell's decision go ahead without waiting for this cell to finish.
    this._deps.ran?.(owner, cell);
    const started = send();
    run.running.add(started);
    started.then(
      ok => {
        run.running.delete(started);
        if (ok === false) {
          run.stopped = true;
        }
      },
      () => {
        run.running.delete(started);
        run.stopped = true;
      }
    );
    return { result: started };
  }

  private async _outcome(
    decision: IGateDecision,
    path: string,
    cellId: string
  ): Promise<Outcome> {
    switch (decision.action) {
      case 'block':
        return { send: false, cancelled: false };
      case 'confirm': {
        const answer = await this._deps.confirm(
          decision,
          this._deps.confirmPolicy()
        );
        return answer.run
          ? { send: true, justification: answer.justification }
          : { send: false, cancelled: true };
      }
      case 'warn':
        if (this._deps.toasts()) {
          this._deps.toast(decision, path, cellId);
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
    const cellId = cell.model.id;
    const event = (
      { finding, severity }: IDecidedFinding,
      action: EventAction,
      evidence: IWardenEvent['evidence']
    ): IWardenEvent => ({
      event_id: newEventId(),
      time: now,
      kind: 'static',
      rule_id: finding.ruleId,
      severity,
      action,
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
      evidence,
      source: 'frontend',
      policy_revision: this._deps.policyRevision()
    });
    for (const decided of decision.findings) {
      const { finding, action } = decided;
      let taken: EventAction;
      if (!outcome.send) {
        taken = 'blocked';
      } else if (action === 'confirm') {
        taken = 'confirmed';
      } else {
        taken = 'warned';
      }
      this._deps.record({
        ...event(decided, taken, {
          policy_action: action,
          cancelled_by_user: !outcome.send && action !== 'block',
          quick_fix: finding.fix ? finding.fix.title : null
        }),
        justification: outcome.send ? outcome.justification : undefined
      });
    }
    // Every honoured ignore is an event: the admin sees what was lifted and why.
    for (const decided of decision.ignored ?? []) {
      this._deps.record({
        ...event(decided, 'allowed', { policy_action: decided.action }),
        suppression: {
          scope: decided.finding.ignored!.scope,
          reason: decided.finding.ignored!.reason
        }
      });
    }
  }
}
