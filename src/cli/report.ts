/** Findings of a scan and their text and JSON renderings. */
import { SEVERITIES, type Finding, type Severity } from '../analyzer';
import { INSTALL_RULE_IDS } from '../deps/scan';
import { scanRule } from './dependencies';

/** One finding located in a file (and a notebook code cell). */
export interface ScanFinding {
  path: string;
  /** 0-based index among the notebook's code cells; null for a .py file. */
  cell: number | null;
  finding: Finding;
  /** Columns counted in code points, as Python tools count them (text output). */
  codePointColumn: number;
  /**
   * hf-unpinned-revision is reported once per file and repository: the other calls that
   * load the same repository without a pin, as [cell, line, column].
   */
  sameRepository?: Array<[number | null, number, number]>;
}

export interface ScanReport {
  findings: ScanFinding[];
  /** Findings an ignore comment or notebook metadata lifted, as the policy allows. */
  ignored: ScanFinding[];
  /** Files scanned and findings per folder (the folder of each file, relative as given). */
  folders: Map<string, { files: number; findings: number }>;
  /** Messages about files that could not be scanned, each naming the file. */
  errors: string[];
  filesScanned: number;
}

export function renderJson(report: ScanReport): string {
  const findings = report.findings.map(
    ({ path, cell, finding: f, sameRepository }) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      path,
      cell,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      ...(sameRepository?.length ? { sameRepository } : {})
    })
  );
  const ignored = report.ignored.map(({ path, cell, finding: f }) => ({
    ruleId: f.ruleId,
    path,
    cell,
    line: f.line,
    column: f.column,
    ignore: f.ignored
  }));
  return JSON.stringify({ findings, ignored }, null, 2) + '\n';
}

export function renderText(report: ScanReport): string {
  const lines = report.findings.map(
    ({ path, cell, finding: f, codePointColumn, sameRepository }) => {
      const rule = scanRule(f.ruleId);
      const where = cell === null ? path : `${path} [cell ${cell}]`;
      const more = sameRepository?.length
        ? ` (${sameRepository.length} more load${sameRepository.length === 1 ? '' : 's'} of this repository in the file)`
        : '';
      // an install finding's own message names the package and what to do (did you mean ...)
      const detail = INSTALL_RULE_IDS.includes(f.ruleId)
        ? f.message
        : `${rule.title}${more}. ${rule.remediation}`;
      return `${where}:${f.line}:${codePointColumn}: ${f.severity} ${f.ruleId}: ${detail}`;
    }
  );
  if (report.folders.size > 1) {
    lines.push('per folder:');
    for (const [folder, c] of [...report.folders].sort()) {
      lines.push(
        `  ${folder}: ${c.findings} finding${c.findings === 1 ? '' : 's'} in ${c.files} file${c.files === 1 ? '' : 's'}`
      );
    }
  }
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
  const ignored = report.ignored.length
    ? `; ${report.ignored.length} ignored by a warden: ignore comment`
    : '';
  lines.push(
    `${n} finding${n === 1 ? '' : 's'}${n ? ` (${bySeverity})` : ''} in ${report.filesScanned} file${
      report.filesScanned === 1 ? '' : 's'
    }${ignored}`
  );
  return lines.join('\n') + '\n';
}
