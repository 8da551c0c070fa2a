/**
 * Posture reports (schema/posture-report.schema.json, GET /warden/posture) as the Sandbox
 * panel shows them. Pure.
 */
import { Severity, SEVERITIES } from '../contracts';

export interface IPostureCheck {
  rule_id: string;
  title?: string;
  status: 'pass' | 'fail' | 'unknown';
  severity?: Severity;
  evidence: Record<string, unknown>;
  remediation?: string;
}

export interface IPostureReport {
  kind: 'sandbox' | 'server';
  checks: IPostureCheck[];
  score?: number;
  worst_severity?: Severity | null;
  summary?: Record<string, unknown>;
  generated_at?: string;
}

export interface ISeverityGroup {
  severity: Severity;
  checks: IPostureCheck[];
}

/** Checks grouped by severity, most severe first; failures before passes within a group. */
export function groupBySeverity(report: IPostureReport): ISeverityGroup[] {
  const order = { fail: 0, unknown: 1, pass: 2 };
  return [...SEVERITIES]
    .reverse()
    .map(severity => ({
      severity,
      checks: report.checks
        .filter(c => (c.severity ?? 'info') === severity)
        .sort((a, b) => order[a.status] - order[b.status])
    }))
    .filter(group => group.checks.length > 0);
}

/** The worst failing severity over several reports, or null when nothing fails. */
export function worstOf(reports: (IPostureReport | null)[]): Severity | null {
  let worst = -1;
  for (const report of reports) {
    for (const check of report?.checks ?? []) {
      if (check.status === 'fail') {
        worst = Math.max(worst, SEVERITIES.indexOf(check.severity ?? 'info'));
      }
    }
  }
  return worst < 0 ? null : SEVERITIES[worst];
}

/** "euid=0, host_uid=0": evidence is names and small facts, never secret values. */
export function evidenceText(evidence: Record<string, unknown>): string {
  return Object.entries(evidence)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(', ');
}
