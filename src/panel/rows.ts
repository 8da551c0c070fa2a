/**
 * The findings table's rows: static findings of the current notebook (with the outcome of the
 * cell's last run) and what the kernel guards reported, one shape for both, and the filters.
 * Pure.
 */
import { Action, RULES, Severity, SEVERITIES } from '../contracts';
import type { IWardenEvent } from '../events/event';
import type { CellLocator } from '../findings/locate';
import type { IFindingsSummary } from './summary';

export type Layer = 'static' | 'runtime';
/** What happened to the finding: the gate's or guard's decision, or not run yet. */
export type Outcome =
  'warned' | 'confirmed' | 'cancelled' | 'blocked' | 'not run';

export const OUTCOMES: readonly Outcome[] = [
  'not run',
  'warned',
  'confirmed',
  'cancelled',
  'blocked'
];

export interface IFindingRow {
  /** Stable across renders: keeps a row's expanded state. */
  key: string;
  layer: Layer;
  severity: Severity;
  ruleId: string;
  /** One line. */
  title: string;
  /** "cell 3:2" for static findings; "train.ipynb · cell 3 · 08:01:12" for runtime ones. */
  where: string;
  outcome: Outcome;
  /** For a static finding not run yet: what the policy will do. */
  policyAction?: Action;
  explanation: string;
  remediation: string;
  quickFix?: string;
  /** Runtime evidence as "name: value" lines (never contents). */
  evidence: string[];
  time?: string;
  /** Where to jump to in the current notebook. */
  target?: { cellId: string; line: number; column: number };
}

/** The outcome an event records: a refusal the user chose is "cancelled". */
export function eventOutcome(event: IWardenEvent): Outcome {
  if (event.action === 'blocked') {
    const evidence = (event.evidence ?? {}) as Record<string, unknown>;
    return evidence.cancelled_by_user === true ? 'cancelled' : 'blocked';
  }
  if (event.action === 'confirmed') {
    return 'confirmed';
  }
  return event.action === 'warned' ? 'warned' : 'not run';
}

function baseName(path: string): string {
  return path.split('/').pop() || path;
}

function evidenceLines(
  evidence: Record<string, unknown> | undefined
): string[] {
  return Object.entries(evidence ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(
      ([k, v]) =>
        `${k.replace(/_/g, ' ')}: ${Array.isArray(v) ? v.join(', ') : String(v)}`
    );
}

function clock(time: string | undefined): string {
  if (!time) {
    return '';
  }
  const date = new Date(time);
  return isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
}

/** The gate's last event for a static finding (cell, rule, line), if the cell ran. */
export type LastDecision = (
  cellId: string,
  ruleId: string,
  line: number
) => IWardenEvent | undefined;

export function staticRows(
  summary: IFindingsSummary | null,
  lastDecision: LastDecision
): IFindingRow[] {
  const rows: IFindingRow[] = [];
  for (const cell of summary?.cells ?? []) {
    for (const { finding, action, severity } of cell.findings) {
      const rule = RULES.get(finding.ruleId);
      const last = lastDecision(cell.cellId, finding.ruleId, finding.line);
      const outcome = last ? eventOutcome(last) : 'not run';
      rows.push({
        key: [
          'static',
          cell.cellId,
          finding.ruleId,
          finding.line,
          finding.column
        ].join('\u241f'),
        layer: 'static',
        severity,
        ruleId: finding.ruleId,
        title: rule?.title ?? finding.message,
        where: `cell ${cell.cellIndex + 1}:${finding.line}`,
        outcome,
        policyAction: outcome === 'not run' ? action : undefined,
        explanation: rule?.explanation ?? finding.message,
        remediation: rule?.remediation ?? '',
        quickFix: finding.fix?.title,
        evidence: [],
        time: last?.time,
        target: {
          cellId: cell.cellId,
          line: finding.line,
          column: finding.column
        }
      });
    }
  }
  return rows;
}

/**
 * What the kernel guards reported, newest first, each naming its notebook, cell, loaded file
 * and time. `locate` finds the cell in the open notebooks by id (the kernel may know the
 * notebook by an older name); rows whose cell is open can jump to it.
 */
export function runtimeRows(
  events: readonly IWardenEvent[],
  locate: CellLocator
): IFindingRow[] {
  return [...events].reverse().map(event => {
    const rule = RULES.get(event.rule_id);
    const location = event.location ?? {};
    const evidence = (event.evidence ?? {}) as Record<string, unknown>;
    const cellId = location.cell_id ?? '';
    const place = cellId ? locate(cellId) : null;
    const path = place?.path ?? location.path ?? '';
    const n = place?.number ?? null;
    const file = typeof evidence.path === 'string' ? evidence.path : '';
    const where = [
      path ? baseName(path) : 'kernel',
      n !== null ? `cell ${n}` : cellId ? 'a deleted cell' : '',
      file ? `file ${baseName(file)}` : '',
      clock(event.time)
    ]
      .filter(Boolean)
      .join(' · ');
    return {
      key: `runtime\u241f${event.event_id}`,
      layer: 'runtime' as const,
      severity: event.severity,
      ruleId: event.rule_id,
      title: rule?.title ?? event.rule_id,
      where,
      outcome: eventOutcome(event),
      // The guard's message names what it saw and how to proceed.
      explanation: event.message ?? rule?.explanation ?? '',
      remediation: event.message ? '' : (rule?.remediation ?? ''),
      evidence: evidenceLines(evidence),
      time: event.time,
      target:
        cellId && n !== null
          ? { cellId, line: location.line ?? 1, column: location.column ?? 1 }
          : undefined
    };
  });
}

export interface IRowFilter {
  /** Rows at least this severe. */
  minSeverity: Severity;
  layer: Layer | 'all';
  outcome: Outcome | 'all';
}

export const NO_FILTER: IRowFilter = {
  minSeverity: 'info',
  layer: 'all',
  outcome: 'all'
};

export function filterRows(
  rows: readonly IFindingRow[],
  filter: IRowFilter
): IFindingRow[] {
  const min = SEVERITIES.indexOf(filter.minSeverity);
  return rows.filter(
    row =>
      SEVERITIES.indexOf(row.severity) >= min &&
      (filter.layer === 'all' || row.layer === filter.layer) &&
      (filter.outcome === 'all' || row.outcome === filter.outcome)
  );
}

/** Most severe first; runtime rows keep newest first, static rows their notebook order. */
export function sortRows(rows: readonly IFindingRow[]): IFindingRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(b.row.severity) -
          SEVERITIES.indexOf(a.row.severity) || a.i - b.i
    )
    .map(({ row }) => row);
}
