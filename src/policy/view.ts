import { Widget } from '@lumino/widgets';

import { RULES } from '../contracts';
import { decideAll } from './policy';
import { IWardenPolicy } from './tokens';

/** A read-only view of the effective policy: every rule's action, and who decided it. */
export class PolicyView extends Widget {
  constructor(private readonly _policy: IWardenPolicy) {
    super();
    this.id = 'warden-policy-view';
    this.title.label = 'Warden Policy';
    this.title.closable = true;
    this.addClass('jp-WardenPolicyView');
    this.node.dataset.testid = 'warden-policy-view';
    _policy.changed.connect(this.render, this);
    this.render();
  }

  dispose(): void {
    this._policy.changed.disconnect(this.render, this);
    super.dispose();
  }

  render(): void {
    const reply = this._policy.reply;
    const doc = this.node.ownerDocument;
    this.node.replaceChildren();
    const heading = doc.createElement('h2');
    heading.textContent = reply
      ? `Policy from ${reply.source}, revision ${reply.revision}`
      : 'Policy: waiting for the lab server';
    this.node.appendChild(heading);

    const problems = [...(reply?.errors ?? [])];
    if (this._policy.error) {
      problems.push(`Lab server: ${this._policy.error}`);
    }
    for (const problem of problems) {
      const p = doc.createElement('p');
      p.className = 'jp-WardenPolicyView-error';
      p.textContent = problem;
      this.node.appendChild(p);
    }

    if (reply?.sources.length) {
      const list = doc.createElement('ul');
      for (const source of reply.sources) {
        const item = doc.createElement('li');
        const state = source.active
          ? `revision ${source.revision}`
          : 'not in use';
        item.textContent = `${source.name}: ${state} (${source.location})`;
        list.appendChild(item);
      }
      this.node.appendChild(list);
    }

    const table = doc.createElement('table');
    const head = table.createTHead().insertRow();
    for (const label of ['Rule', 'Layer', 'Action', 'Severity', 'Decided by']) {
      const th = doc.createElement('th');
      th.textContent = label;
      head.appendChild(th);
    }
    const body = table.createTBody();
    const decisions = reply ? decideAll(reply, this._policy.userRules) : [];
    for (const decision of decisions) {
      const rule = RULES.get(decision.ruleId)!;
      const row = body.insertRow();
      row.dataset.rule = rule.id;
      row.title = `${rule.explanation}\n\nWhat to do: ${rule.remediation}`;
      for (const text of [
        `${rule.title} (${rule.id})`,
        rule.layer,
        decision.action,
        decision.severity,
        decision.decidedBy
      ]) {
        row.insertCell().textContent = text;
      }
      row.cells[2].className = `jp-WardenAction-${decision.action}`;
    }
    this.node.appendChild(table);
  }
}
