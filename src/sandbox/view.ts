import { Widget } from '@lumino/widgets';

import { groupBySeverity, IPostureCheck, IPostureReport } from './report';

export interface ISandboxState {
  kernel: IPostureReport | null;
  kernelName: string;
  kernelError: string | null;
  server: IPostureReport | null;
  serverError: string | null;
  /** Some check fails. */
  failing: boolean;
  /** The user marked the current failing checks as noted. */
  noted: boolean;
}

export interface ISandboxActions {
  refresh(): void;
  /** Mark the current failing checks as noted: the badge goes quiet. */
  note(): void;
  /** Copy the report as text, for the admin. */
  copy(): void;
}

/**
 * The Sandbox report: who can fix it (the admin), a score per side, and each check with what
 * was seen and how to fix it as separate blocks.
 */
export class SandboxPanel extends Widget {
  constructor(private readonly _actions: ISandboxActions) {
    super();
    this.id = 'jupyterlab-warden-sandbox';
    this.addClass('jp-WardenSandbox');
    this.node.dataset.testid = 'warden-sandbox-panel';
    this.title.caption = 'Jupyter Warden: sandbox report';
  }

  render(state: ISandboxState): void {
    const doc = this.node.ownerDocument;
    this.node.replaceChildren();
    const header = doc.createElement('div');
    header.className = 'jp-WardenSandbox-header';
    const h = doc.createElement('h3');
    h.textContent = 'Sandbox';
    h.title = 'How this kernel is isolated and how the server is set up';
    header.append(
      h,
      button(
        doc,
        'Check again',
        'jp-WardenSandbox-refresh',
        this._actions.refresh
      )
    );
    this.node.appendChild(header);
    if (state.failing) {
      this.node.appendChild(this._whose(doc, state.noted));
    }
    this._section(
      doc,
      `Kernel: ${state.kernelName || 'none'}`,
      state.kernel,
      state.kernelError,
      'kernel'
    );
    this._section(
      doc,
      'Jupyter server',
      state.server,
      state.serverError,
      'server'
    );
  }

  /** Whose job this is, and what the user can do about it. */
  private _whose(doc: Document, noted: boolean): HTMLElement {
    const box = doc.createElement('div');
    box.className = 'jp-WardenSandbox-whose';
    const p = doc.createElement('p');
    p.textContent =
      'These checks describe how this lab is deployed (container, user, server settings). ' +
      'Fixing them is your admin\u2019s job, not something you can change from a notebook: ' +
      'send them the report. The "Fix" lines are written for them.';
    const actions = doc.createElement('div');
    actions.className = 'jp-WardenSandbox-actions';
    actions.appendChild(
      button(
        doc,
        'Copy report for admin',
        'jp-WardenSandbox-copy',
        this._actions.copy
      )
    );
    if (noted) {
      const done = doc.createElement('span');
      done.className = 'jp-WardenSandbox-noted';
      done.textContent =
        'Noted: the badge stays quiet until the checks change.';
      actions.appendChild(done);
    } else {
      actions.appendChild(
        button(
          doc,
          'Mark as noted',
          'jp-WardenSandbox-note',
          this._actions.note
        )
      );
    }
    box.append(p, actions);
    return box;
  }

  private _section(
    doc: Document,
    title: string,
    report: IPostureReport | null,
    error: string | null,
    name: string
  ): void {
    const section = doc.createElement('section');
    section.dataset.report = name;
    const h = doc.createElement('h4');
    h.textContent =
      report?.score !== undefined
        ? `${title} · score ${report.score}/100`
        : title;
    h.title = h.textContent;
    section.appendChild(h);
    if (error) {
      const p = doc.createElement('p');
      p.className = 'jp-WardenSandbox-error';
      p.textContent = error;
      section.appendChild(p);
    }
    if (!report) {
      this.node.appendChild(section);
      return;
    }
    for (const group of groupBySeverity(report)) {
      const gh = doc.createElement('h5');
      const failed = group.checks.filter(c => c.status === 'fail').length;
      gh.textContent = `${group.severity} · ${failed} of ${group.checks.length} failing`;
      section.appendChild(gh);
      const list = doc.createElement('ul');
      for (const check of group.checks) {
        list.appendChild(checkItem(doc, check));
      }
      section.appendChild(list);
    }
    this.node.appendChild(section);
  }
}

function button(
  doc: Document,
  label: string,
  className: string,
  onClick: () => void
): HTMLButtonElement {
  const b = doc.createElement('button');
  b.className = `jp-mod-styled jp-mod-reject ${className}`;
  b.textContent = label;
  b.addEventListener('click', () => onClick());
  return b;
}

/** One check: its title; for a failing or unknown one, "Seen" and "Fix" as separate blocks. */
function checkItem(doc: Document, check: IPostureCheck): HTMLLIElement {
  const item = doc.createElement('li');
  item.className = `jp-WardenSandbox-check jp-WardenSandbox-${check.status}`;
  item.dataset.rule = check.rule_id;
  item.dataset.status = check.status;
  const mark =
    check.status === 'pass' ? '✓' : check.status === 'fail' ? '✗' : '?';
  const line = doc.createElement('div');
  line.className = 'jp-WardenSandbox-title';
  line.textContent = `${mark} ${check.title ?? check.rule_id}`;
  item.appendChild(line);
  if (check.status === 'pass') {
    return item;
  }
  const facts = Object.entries(check.evidence ?? {});
  if (facts.length) {
    const seen = doc.createElement('div');
    seen.className = 'jp-WardenSandbox-seen';
    const label = doc.createElement('div');
    label.className = 'jp-WardenSandbox-label';
    label.textContent = 'Seen';
    const dl = doc.createElement('dl');
    for (const [key, value] of facts) {
      const dt = doc.createElement('dt');
      dt.textContent = key.replace(/_/g, ' ');
      const dd = doc.createElement('dd');
      // One list item a line.
      dd.textContent = Array.isArray(value) ? value.join('\n') : String(value);
      dl.append(dt, dd);
    }
    seen.append(label, dl);
    item.appendChild(seen);
  }
  if (check.remediation) {
    const fix = doc.createElement('div');
    fix.className = 'jp-WardenSandbox-fix';
    const label = doc.createElement('div');
    label.className = 'jp-WardenSandbox-label';
    label.textContent = 'Fix (admin)';
    const text = doc.createElement('p');
    text.textContent = check.remediation;
    fix.append(label, text);
    item.appendChild(fix);
  }
  return item;
}
