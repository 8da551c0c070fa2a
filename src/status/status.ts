/**
 * How the status bar words Warden's state: the server extension's status (GET /warden/status)
 * and the policy in force.
 */

export interface IWardenStatus {
  version: string;
  mode: string;
  /** Warden's own problems besides the policy's (event queue, link to central). */
  problems?: string[];
}

export interface IPolicySummary {
  source: string;
  revision: number;
  errors: string[];
}

/** The one-line text of the status bar item. */
export function statusLabel(
  status: IWardenStatus | null,
  policy: IPolicySummary | null,
  error?: string | null
): string {
  if (error) {
    return 'Warden: unreachable';
  }
  if (!status || !policy) {
    return 'Warden: …';
  }
  const problem = policy.errors.length ? ' · policy error' : '';
  const other = status.problems?.length ? ' · events problem' : '';
  return `Warden: ${status.mode} · policy: ${policy.source}${problem}${other}`;
}

/** The tooltip: everything the one line leaves out. */
export function statusTooltip(
  status: IWardenStatus | null,
  policy: IPolicySummary | null,
  error?: string | null
): string {
  if (error) {
    return `Jupyter Warden's server extension did not answer: ${error}`;
  }
  if (!status || !policy) {
    return 'Jupyter Warden: asking the lab server…';
  }
  const lines = [
    `Jupyter Warden ${status.version}`,
    `Policy: ${policy.source}, revision ${policy.revision} (click to see every rule)`
  ];
  for (const problem of policy.errors) {
    lines.push(`Policy problem: ${problem}`);
  }
  for (const problem of status.problems ?? []) {
    lines.push(`Problem: ${problem}`);
  }
  return lines.join('\n');
}
