/**
 * Posture reports (schema/posture-report.schema.json, GET /warden/posture) as the Sandbox
 * panel shows them. Pure.
 */
import {
  IPostureReport as IKernelPostureReport,
  Severity,
  SEVERITIES
} from '../contracts';

export type IPostureCheck = IKernelPostureReport['checks'][number];

/**
 * The kernel probe's report (the schema), or the lab server's own report of its checks, which
 * has the same shape with kind 'server'.
 */
export type IPostureReport = Omit<IKernelPostureReport, 'kind'> & {
  kind: 'sandbox' | 'server';
};

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
