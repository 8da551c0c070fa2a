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

/** Which failing checks a report has: the badge's acknowledgement holds until this changes. */
export function failingKey(reports: (IPostureReport | null)[]): string {
  const ids = new Set<string>();
  for (const report of reports) {
    for (const check of report?.checks ?? []) {
      if (check.status === 'fail') {
        ids.add(`${report!.kind}:${check.rule_id}`);
      }
    }
  }
  return [...ids].sort().join(',');
}

export interface IBadgeState {
  text: string;
  /** alarm: failing checks not yet acknowledged; noted: acknowledged; ok: none failing. */
  level: 'pending' | 'ok' | 'noted' | 'alarm';
  title: string;
}

/**
 * The status bar badge. Sandbox findings are about how the lab is deployed, which the user
 * cannot change from a notebook: it says so, and once the user has acknowledged the report it
 * stays compact and quiet until the set of failing checks changes.
 */
export function badgeState(
  score: number | undefined,
  worst: Severity | null,
  failing: string,
  acknowledged: string | null
): IBadgeState {
  if (score === undefined) {
    return {
      text: 'Sandbox …',
      level: 'pending',
      title: 'Jupyter Warden: checking how this kernel is isolated.'
    };
  }
  if (!worst) {
    return {
      text: `Sandbox ${score}/100`,
      level: 'ok',
      title: 'Jupyter Warden: no failing sandbox check. Click for the report.'
    };
  }
  const whose =
    'These checks are about how this lab is deployed: fixing them is your admin\u2019s job, not yours.';
  if (acknowledged === failing) {
    return {
      text: `Sandbox ${score}`,
      level: 'noted',
      title: `Jupyter Warden: sandbox score ${score}/100 (worst failing check: ${worst}), already noted. ${whose} Click for the report.`
    };
  }
  return {
    text: `Sandbox ${score}/100 · ${worst} · admin`,
    level: 'alarm',
    title: `Jupyter Warden: the worst failing sandbox check is ${worst}. ${whose} Click for the report, send it to your admin, then mark it as noted.`
  };
}

/** The report as plain text for the admin (names and small facts, never secrets). */
export function adminSummary(
  reports: { name: string; report: IPostureReport | null }[]
): string {
  const lines = ['Jupyter Warden sandbox report'];
  for (const { name, report } of reports) {
    if (!report) {
      continue;
    }
    lines.push(
      '',
      `${name}${report.score !== undefined ? ` (score ${report.score}/100)` : ''}`
    );
    for (const check of report.checks.filter(c => c.status === 'fail')) {
      lines.push(
        `- [${check.severity ?? 'info'}] ${check.title ?? check.rule_id} (${check.rule_id})`
      );
      const seen = evidenceText(check.evidence);
      if (seen) {
        lines.push(`  seen: ${seen}`);
      }
      if (check.remediation) {
        lines.push(`  fix: ${check.remediation}`);
      }
    }
  }
  return lines.join('\n');
}
