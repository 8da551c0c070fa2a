/** Findings of a scan and their text and JSON renderings. */
import {
  SEVERITIES,
  staticRule,
  type Finding,
  type Severity
} from '../analyzer';

/** One finding located in a file (and a notebook code cell). */
export interface ScanFinding {
  path: string;
  /** 0-based index among the notebook's code cells; null for a .py file. */
  cell: number | null;
  finding: Finding;
}

export interface ScanReport {
  findings: ScanFinding[];
  /** Messages about files that could not be scanned, each naming the file. */
  errors: string[];
  filesScanned: number;
}

export function renderJson(report: ScanReport): string {
  const findings = report.findings.map(({ path, cell, finding: f }) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    path,
    cell,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message
  }));
  return JSON.stringify({ findings }, null, 2) + '\n';
}

export function renderText(report: ScanReport): string {
  const lines = report.findings.map(({ path, cell, finding: f }) => {
    const rule = staticRule(f.ruleId);
    const where = cell === null ? path : `${path} [cell ${cell}]`;
    return `${where}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${rule.title}. ${rule.remediation}`;
  });
  const counts = new Map<Severity, number>();
  for (const { finding } of report.findings) {
    counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  }
  const bySeverity = [...SEVERITIES]
    .reverse()
    .filter(s => counts.has(s))
    .map(s => `${counts.get(s)} ${s}`)
    .join(', ');
  const n = report.findings.length;
  lines.push(
    `${n} finding${n === 1 ? '' : 's'}${n ? ` (${bySeverity})` : ''} in ${report.filesScanned} file${
      report.filesScanned === 1 ? '' : 's'
    }`
  );
  return lines.join('\n') + '\n';
}
