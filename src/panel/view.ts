/**
 * The findings panel: a compact table (severity icon, rule, where, one-line title, outcome)
 * with expandable details, filters by severity, layer and outcome, and keyboard access
 * (arrows move, Enter or Space opens the details, the details' button jumps to the cell).
 * It renders rows and reports jumps, nothing else.
 */
import { Widget } from '@lumino/widgets';

import { SEVERITIES, Severity } from '../contracts';
import {
  filterRows,
  IFindingRow,
  IRowFilter,
  Layer,
  NO_FILTER,
  Outcome,
  OUTCOMES
} from './rows';

const SEVERITY_MARK: Record<Severity, string> = {
  critical: '✖',
  high: '▲',
  medium: '●',
  low: '◆',
  info: 'ℹ'
};

export class FindingsPanel extends Widget {
  private _filter: IRowFilter = { ...NO_FILTER };
  private _expanded = new Set<string>();
  private _rows: readonly IFindingRow[] = [];
  /** What the table shows now: a render with the same rows keeps the DOM (focus, clicks). */
  private _shown = '';
  private _name = '';
  private _hasNotebook = false;
  private _body: HTMLElement;
  private _heading: HTMLElement;
  private _counts: HTMLElement;

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
    const doc = this.node.ownerDocument;
    const header = doc.createElement('div');
    header.className = 'jp-WardenFindings-header';
    this._heading = doc.createElement('h3');
    this._counts = doc.createElement('span');
    this._counts.className = 'jp-WardenFindings-counts';
    header.append(this._heading, this._counts);
    this._body = doc.createElement('div');
    this._body.className = 'jp-WardenFindings-body';
    this.node.append(header, this._filters(doc), this._body);
    this.render([], '', false);
  }

  /** Show `rows` (most severe first) for the notebook named `name`. */
  render(
    rows: readonly IFindingRow[],
    name: string,
    hasNotebook: boolean
  ): void {
    // The panel re-renders on every registry, policy or shell change, most of them changing
    // nothing here: rebuilding the rows then would drop the focused row and a click in
    // progress (its mousedown on the old row, mouseup on the new one).
    const shown = JSON.stringify([rows, name, hasNotebook]);
    if (shown === this._shown) {
      return;
    }
    this._shown = shown;
    this._rows = rows;
    this._name = name;
    this._hasNotebook = hasNotebook;
    this._draw();
  }

  private _filters(doc: Document): HTMLElement {
    const bar = doc.createElement('div');
    bar.className = 'jp-WardenFindings-filters';
    const select = <K extends keyof IRowFilter>(
      key: K,
      label: string,
      options: [IRowFilter[K], string][]
    ) => {
      const element = doc.createElement('select');
      element.className = 'jp-mod-styled';
      element.setAttribute('aria-label', label);
      element.title = label;
      element.dataset.filter = key;
      for (const [value, text] of options) {
        const option = doc.createElement('option');
        option.value = String(value);
        option.textContent = text;
        element.appendChild(option);
      }
      element.addEventListener('change', () => {
        this._filter = { ...this._filter, [key]: element.value };
        this._draw();
      });
      bar.appendChild(element);
    };
    select(
      'minSeverity',
      'Minimum severity',
      SEVERITIES.map(s => [s, s === 'info' ? 'Any severity' : `${s} and up`])
    );
    select('layer', 'Layer', [
      ['all', 'Editor and kernel'],
      ['static' as Layer, 'Editor (static)'],
      ['runtime' as Layer, 'Kernel guard']
    ]);
    select('outcome', 'Outcome', [
      ['all', 'Any outcome'],
      ...OUTCOMES.map(o => [o, o] as [Outcome, string])
    ]);
    return bar;
  }

  private _draw(): void {
    const doc = this.node.ownerDocument;
    this._heading.textContent = this._name
      ? `Warden · ${this._name}`
      : 'Warden findings';
    // The row with the keyboard focus keeps it when the rows are redrawn.
    const focused = (doc.activeElement as HTMLElement | null)?.closest?.(
      '.jp-WardenFindings-row'
    ) as HTMLElement | null;
    const focusedKey =
      focused && this._body.contains(focused) ? focused.dataset.key : undefined;
    const shown = filterRows(this._rows, this._filter);
    this._counts.textContent =
      shown.length === this._rows.length
        ? `${this._rows.length}`
        : `${shown.length} of ${this._rows.length}`;
    this._body.replaceChildren();
    if (!shown.length) {
      const p = doc.createElement('p');
      p.className = 'jp-WardenFindings-empty';
      p.textContent = this._rows.length
        ? 'No finding matches these filters.'
        : this._hasNotebook
          ? 'No findings: nothing in this notebook loads models or data unsafely.'
          : 'Open a notebook to see its findings.';
      this._body.appendChild(p);
      return;
    }
    const table = doc.createElement('table');
    table.className = 'jp-WardenFindings-table';
    table.setAttribute('aria-label', 'Warden findings');
    const head = table.createTHead().insertRow();
    for (const [label, cls] of [
      ['', 'icon'],
      ['Where', 'where'],
      ['Rule · finding', 'title'],
      ['Outcome', 'outcome']
    ]) {
      const th = doc.createElement('th');
      th.className = `jp-WardenFindings-${cls}`;
      th.textContent = label;
      th.scope = 'col';
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of shown) {
      this._row(doc, body, row);
    }
    this._body.appendChild(table);
    if (focusedKey !== undefined) {
      Array.from(body.querySelectorAll<HTMLElement>('.jp-WardenFindings-row'))
        .find(tr => tr.dataset.key === focusedKey)
        ?.focus();
    }
  }

  private _row(doc: Document, body: HTMLTableSectionElement, row: IFindingRow) {
    const tr = body.insertRow();
    const open = this._expanded.has(row.key);
    tr.className = `jp-WardenFindings-row jp-WardenSeverity-${row.severity}`;
    tr.tabIndex = 0;
    tr.dataset.key = row.key;
    tr.dataset.rule = row.ruleId;
    tr.dataset.layer = row.layer;
    tr.dataset.outcome = row.outcome;
    tr.dataset.severity = row.severity;
    tr.setAttribute('aria-expanded', String(open));
    const icon = tr.insertCell();
    icon.className = 'jp-WardenFindings-icon';
    icon.textContent = SEVERITY_MARK[row.severity];
    icon.title = row.severity;
    icon.setAttribute('aria-label', row.severity);
    const where = tr.insertCell();
    where.className = 'jp-WardenFindings-where';
    where.textContent = row.where;
    where.title = row.where;
    // Rule id and one-line title share a cell: a sidebar is too narrow for both columns.
    const title = tr.insertCell();
    title.className = 'jp-WardenFindings-title';
    title.title = `${row.ruleId}: ${row.title}`;
    const rule = doc.createElement('code');
    rule.className = 'jp-WardenFindings-rule';
    rule.textContent = row.ruleId;
    title.append(rule, ` ${row.title}`);
    const outcome = tr.insertCell();
    outcome.className = 'jp-WardenFindings-outcome';
    const badge = doc.createElement('span');
    badge.className = `jp-WardenOutcome jp-WardenOutcome-${row.outcome.replace(' ', '-')}`;
    badge.textContent =
      row.outcome === 'not run' && row.policyAction
        ? `will ${row.policyAction}`
        : row.outcome;
    outcome.appendChild(badge);

    const details = body.insertRow();
    details.className = 'jp-WardenFindings-details';
    details.hidden = !open;
    const cell = details.insertCell();
    cell.colSpan = 4;
    cell.appendChild(this._details(doc, row));

    const toggle = () => {
      const now = !this._expanded.has(row.key);
      if (now) {
        this._expanded.add(row.key);
      } else {
        this._expanded.delete(row.key);
      }
      details.hidden = !now;
      tr.setAttribute('aria-expanded', String(now));
    };
    tr.addEventListener('click', toggle);
    tr.addEventListener('dblclick', () => this._jump(row));
    tr.addEventListener('keydown', event => {
      const rows = Array.from(
        body.querySelectorAll<HTMLElement>('.jp-WardenFindings-row')
      );
      const index = rows.indexOf(tr);
      switch (event.key) {
        case 'Enter':
        case ' ':
          toggle();
          break;
        case 'ArrowDown':
          rows[index + 1]?.focus();
          break;
        case 'ArrowUp':
          rows[index - 1]?.focus();
          break;
        case 'ArrowRight':
          if (!this._expanded.has(row.key)) {
            toggle();
          }
          break;
        case 'ArrowLeft':
          if (this._expanded.has(row.key)) {
            toggle();
          }
          break;
        default:
          return;
      }
      event.preventDefault();
    });
  }

  private _details(doc: Document, row: IFindingRow): HTMLElement {
    const box = doc.createElement('div');
    const p = (cls: string, label: string, text: string) => {
      const element = doc.createElement('p');
      element.className = `jp-WardenFindings-${cls}`;
      if (label) {
        const strong = doc.createElement('strong');
        strong.textContent = `${label}: `;
        element.appendChild(strong);
      }
      element.append(text);
      box.appendChild(element);
    };
    p('why', '', row.explanation);
    if (row.remediation) {
      p('fix', 'What to do', row.remediation);
    }
    if (row.quickFix) {
      p('quickfix', 'Quick fix in the editor', row.quickFix);
    }
    if (row.evidence.length) {
      const list = doc.createElement('ul');
      list.className = 'jp-WardenFindings-evidence';
      for (const line of row.evidence) {
        const item = doc.createElement('li');
        item.textContent = line;
        list.appendChild(item);
      }
      box.appendChild(list);
    }
    if (row.time && row.layer === 'static') {
      p('time', 'Last run', new Date(row.time).toLocaleTimeString());
    }
    if (row.target) {
      const go = doc.createElement('button');
      go.className = 'jp-mod-styled jp-mod-reject jp-WardenFindings-go';
      go.textContent = 'Show in notebook';
      go.addEventListener('click', event => {
        event.stopPropagation();
        this._jump(row);
      });
      box.appendChild(go);
    }
    return box;
  }

  private _jump(row: IFindingRow): void {
    if (row.target) {
      this._onSelect(row.target.cellId, row.target.line, row.target.column);
    }
  }
}
