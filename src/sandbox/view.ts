import { Widget } from '@lumino/widgets';

import { evidenceText, groupBySeverity, IPostureReport } from './report';

export interface ISandboxState {
  kernel: IPostureReport | null;
  kernelName: string;
  kernelError: string | null;
  server: IPostureReport | null;
  serverError: string | null;
}

/** The Sandbox report: a score per side and the checks grouped by severity. */
export class SandboxPanel extends Widget {
  constructor(private readonly _onRefresh: () => void) {
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
    h.textContent = 'Sandbox report';
    const button = doc.createElement('button');
    button.className = 'jp-mod-styled jp-mod-accept';
    button.textContent = 'Check again';
    button.addEventListener('click', this._onRefresh);
    header.append(h, button);
    this.node.appendChild(header);
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
        const item = doc.createElement('li');
        item.className = `jp-WardenSandbox-check jp-WardenSandbox-${check.status}`;
        item.dataset.rule = check.rule_id;
        item.dataset.status = check.status;
        const mark =
          check.status === 'pass' ? '✓' : check.status === 'fail' ? '✗' : '?';
        const line = doc.createElement('div');
        line.textContent = `${mark} ${check.title ?? check.rule_id}`;
        item.appendChild(line);
        if (check.status !== 'pass') {
          const detail = doc.createElement('div');
          detail.className = 'jp-WardenSandbox-detail';
          const evidence = evidenceText(check.evidence);
          detail.textContent = [
            evidence && `Seen: ${evidence}`,
            check.remediation && `Fix: ${check.remediation}`
          ]
            .filter(Boolean)
            .join(' — ');
          item.appendChild(detail);
        }
        list.appendChild(item);
      }
      section.appendChild(list);
    }
    this.node.appendChild(section);
  }
}
