/**
 * The lab server's view of Warden (GET /warden/status) and how the status bar words it.
 */

export interface IPolicyState {
  source: string;
  revision: number;
  errors: string[];
}

export interface IWardenStatus {
  version: string;
  mode: string;
  policy: IPolicyState;
}

/** The one-line text of the status bar item. */
export function statusLabel(
  status: IWardenStatus | null,
  error?: string
): string {
  if (error) {
    return 'Warden: unreachable';
  }
  if (!status) {
    return 'Warden: …';
  }
  const problem = status.policy.errors.length ? ' · policy error' : '';
  return `Warden: ${status.mode} · policy: ${status.policy.source}${problem}`;
}

/** The tooltip: everything the one line leaves out. */
export function statusTooltip(
  status: IWardenStatus | null,
  error?: string
): string {
  if (error) {
    return `Jupyter Warden's server extension did not answer: ${error}`;
  }
  if (!status) {
    return 'Jupyter Warden: asking the lab server…';
  }
  const lines = [
    `Jupyter Warden ${status.version}`,
    `Policy: ${status.policy.source}, revision ${status.policy.revision}`
  ];
  for (const problem of status.policy.errors) {
    lines.push(`Policy problem: ${problem}`);
  }
  return lines.join('\n');
}
