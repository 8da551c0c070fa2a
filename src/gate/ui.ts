/**
 * What the user sees of the gate: a dialog for confirm, an explanation in the cell for block
 * (warnings are toasts, see notify/).
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { RULES } from '../contracts';
import {
  blockedExplanation,
  IConfirmOutcome,
  IConfirmPolicy,
  IGateDecision,
  justificationProblem
} from './decision';

/** The confirm dialog's body: the findings, their explanation and fix, and a reason field. */
class ConfirmBody extends Widget {
  private _input: HTMLTextAreaElement | null = null;

  constructor(decision: IGateDecision, confirm: IConfirmPolicy) {
    super();
    this.addClass('jp-WardenConfirm');
    const doc = this.node.ownerDocument;
    const list = doc.createElement('ul');
    for (const { finding, action } of decision.findings) {
      const rule = RULES.get(finding.ruleId);
      const item = doc.createElement('li');
      item.dataset.rule = finding.ruleId;
      const title = doc.createElement('strong');
      title.textContent = `Line ${finding.line}: ${rule?.title ?? finding.ruleId} (${action})`;
      const why = doc.createElement('p');
      // The catalog's explanation alone: the finding's message repeats the remediation.
      why.textContent = rule?.explanation ?? finding.message;
      item.append(title, why);
      if (rule) {
        const fix = doc.createElement('p');
        fix.textContent = `What to do: ${rule.remediation}`;
        item.appendChild(fix);
      }
      list.appendChild(item);
    }
    this.node.appendChild(list);
    if (confirm.require_justification) {
      const label = doc.createElement('label');
      label.textContent =
        'Why is it safe to run this? (recorded for your admin)';
      this._input = doc.createElement('textarea');
      this._input.className = 'jp-WardenConfirm-justification';
      this._input.rows = 3;
      label.appendChild(this._input);
      this.node.appendChild(label);
    }
  }

  getValue(): string {
    return this._input?.value ?? '';
  }
}

/** What the dialog asks: about the one finding, or how many need a confirmation. */
export function confirmTitle(decision: IGateDecision): string {
  const asking = decision.findings.filter(f => f.action === 'confirm');
  if (asking.length === 1) {
    const id = asking[0].finding.ruleId;
    return `Jupyter Warden: run this cell? ${RULES.get(id)?.title ?? id}`;
  }
  return `Jupyter Warden: run this cell? ${asking.length} findings need your confirmation`;
}

export async function confirmRun(
  decision: IGateDecision,
  confirm: IConfirmPolicy
): Promise<IConfirmOutcome> {
  let problem: string | null = null;
  for (;;) {
    const body = new ConfirmBody(decision, confirm);
    const result = await showDialog({
      title: problem ? `Jupyter Warden: ${problem}` : confirmTitle(decision),
      body,
      buttons: [
        Dialog.cancelButton({ label: 'Cancel' }),
        Dialog.warnButton({ label: 'Run anyway' })
      ],
      defaultButton: 0
    });
    if (!result.button.accept) {
      return { run: false };
    }
    const justification = result.value ?? '';
    problem = justificationProblem(justification, confirm);
    if (!problem) {
      return { run: true, justification: justification.trim() || undefined };
    }
  }
}

/** Text for a blocked cell's error output. */
export function blockedOutput(decision: IGateDecision) {
  return {
    output_type: 'error' as const,
    ename: 'BlockedByJupyterWarden',
    evalue:
      decision.undecided !== undefined
        ? 'not checked'
        : decision.findings.map(f => f.finding.ruleId).join(', '),
    traceback: blockedExplanation(decision)
  };
}
