/**
 * A notebook's findings grouped by cell with severity counts: what the panel lists and the
 * status bar counts. Pure.
 */
import type { Finding } from '../analyzer';
import { Action, Severity, SEVERITIES } from '../contracts';

export interface ICellFindings {
  cellId: string;
  /** 0-based position among all cells, for "Cell 3" labels. */
  cellIndex: number;
  findings: { finding: Finding; action: Action; severity: Severity }[];
}

export interface IFindingsSummary {
  cells: ICellFindings[];
  total: number;
  counts: Record<Severity, number>;
  worst: Severity | null;
}

export function summarize(
  cellOrder: readonly string[],
  findings: ReadonlyMap<string, readonly Finding[]>,
  decide: (ruleId: string) => { action: Action; severity: Severity }
): IFindingsSummary {
  const counts = Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<
    Severity,
    number
  >;
  const cells: ICellFindings[] = [];
  let worst = -1;
  cellOrder.forEach((cellId, cellIndex) => {
    const active = (findings.get(cellId) ?? [])
      // The policy may change a rule's severity: count what it decides, not the default.
      .map(finding => ({ finding, ...decide(finding.ruleId) }))
      .filter(f => f.action !== 'off');
    if (!active.length) {
      return;
    }
    for (const { severity } of active) {
      counts[severity]++;
      worst = Math.max(worst, SEVERITIES.indexOf(severity));
    }
    cells.push({ cellId, cellIndex, findings: active });
  });
  const total = cells.reduce((n, c) => n + c.findings.length, 0);
  return { cells, total, counts, worst: worst < 0 ? null : SEVERITIES[worst] };
}
