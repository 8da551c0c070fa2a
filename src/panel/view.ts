import { Widget } from '@lumino/widgets';

import { SEVERITIES } from '../contracts';
import { IWardenEvent } from '../events/event';
import { IFindingsSummary } from './summary';

/** The findings panel; it renders a summary and reports clicks, nothing else. */
export class FindingsPanel extends Widget {
  constructor(
    private readonly _onSelect: (
      cellId: string,
      line: number,
      column: number
    ) => void
  ) {
    super();
    this.id = 'jupyterlab-warden-findings';
    this.addClass('jp-WardenFindings');
    this.node.dataset.testid = 'warden-findings-panel';
    this.title.caption = 'Jupyter Warden findings';
    this.render(null, '');
  }

  render(
    summary: IFindingsSummary | null,
    notebookName: string,
    runtime: readonly IWardenEvent[] = []
  ): void {
    const doc = this.node.ownerDocument;
    this.node.replaceChildren();
    const heading = doc.createElement('h3');
    heading.textContent = notebookName ? `Warden · ${notebookName}` : 'Warden';
    this.node.appendChild(heading);
    if (runtime.length) {
      this.node.appendChild(runtimeSection(doc, runtime));
    }
    if (!summary) {
      this.node.appendChild(
        paragraph(doc, 'Open a notebook to see its findings.')
      );
      return;
    }
    const counts = doc.createElement('p');
    counts.className = 'jp-WardenFindings-counts';
    counts.textContent = summary.total
      ? SEVERITIES.filter(s => summary.counts[s])
          .reverse()
          .map(s => `${summary.counts[s]} ${s}`)
          .join(' · ')
      : 'No findings.';
    this.node.appendChild(counts);
    for (const cell of summary.cells) {
      const group = doc.createElement('section');
      group.dataset.cellId = cell.cellId;
      const title = doc.createElement('h4');
      title.textContent = `Cell ${cell.cellIndex + 1}`;
      group.appendChild(title);
      const list = doc.createElement('ul');
      for (const { finding, action, severity } of cell.findings) {
        const item = doc.createElement('li');
        item.className = `jp-WardenFindings-item jp-WardenSeverity-${severity}`;
        item.dataset.rule = finding.ruleId;
        item.tabIndex = 0;
        item.textContent = `Line ${finding.line} · ${severity} · ${action}: ${finding.message}`;
        const select = () =>
          this._onSelect(cell.cellId, finding.line, finding.column);
        item.addEventListener('click', select);
        item.addEventListener('keydown', e => e.key === 'Enter' && select());
        list.appendChild(item);
      }
      group.appendChild(list);
      this.node.appendChild(group);
    }
  }
}

function paragraph(doc: Document, text: string): HTMLParagraphElement {
  const p = doc.createElement('p');
  p.textContent = text;
  return p;
}

/** What the kernel guards reported, newest first. */
function runtimeSection(
  doc: Document,
  runtime: readonly IWardenEvent[]
): HTMLElement {
  const section = doc.createElement('section');
  section.className = 'jp-WardenFindings-runtime';
  const title = doc.createElement('h4');
  title.textContent = 'Kernel guard';
  const list = doc.createElement('ul');
  for (const event of [...runtime].reverse().slice(0, 20)) {
    const item = doc.createElement('li');
    item.className = `jp-WardenFindings-item jp-WardenSeverity-${event.severity}`;
    item.dataset.rule = event.rule_id;
    item.textContent = `${event.action} · ${event.severity}: ${event.message ?? event.rule_id}`;
    list.appendChild(item);
  }
  section.append(title, list);
  return section;
}
