/**
 * What the gate does with a cell's findings: pure, no JupyterLab, so it is tested directly.
 */
import { ignoreHonoured, type Finding, type IgnorePolicy } from '../analyzer';
import { Action, ACTIONS, IPolicyDocument, Severity } from '../contracts';

export interface IDecidedFinding {
  finding: Finding;
  action: Action;
  severity: Severity;
}

export interface IGateDecision {
  /** The strictest action over the cell's findings ('off' when nothing applies). */
  action: Action;
  /** Findings whose action is not 'off', strictest first. */
  findings: IDecidedFinding[];
  /**
   * Findings an ignore comment in the cell lifted, as the policy's `ignore.allowed_actions`
   * allows (`finding.ignored` says where and why); they do not count towards `action`, and
   * each is recorded as an event with action 'allowed'.
   */
  ignored?: IDecidedFinding[];
  /** Why the gate could not decide (it then blocks: fail closed). */
  undecided?: string;
}

/** The policy's `confirm` section (schema/policy.schema.json). */
export type IConfirmPolicy = NonNullable<IPolicyDocument['confirm']>;

/** What the user answered in the confirm dialog. */
export interface IConfirmOutcome {
  run: boolean;
  justification?: string;
}

export type DecideRule = (ruleId: string) => {
  action: Action;
  severity: Severity;
};

/**
 * Why an ignore written for a finding does not lift it at the gate, or null when it does.
 * Only an ignore comment in the cell's own code counts: the server gate sees the code of an
 * execute request but never the notebook's metadata, and metadata is hidden from the person
 * who runs a shared notebook, so a notebook-wide ignore (metadata.warden.ignore) marks the
 * finding in the editor and reports but never changes what runs (docs/user-guide.md).
 */
export function ignoreRefusal(
  finding: Finding,
  action: Action,
  ignorePolicy: IgnorePolicy | undefined
): string | null {
  if (!finding.ignored) {
    return 'nothing ignores it';
  }
  if (finding.ignored.scope !== 'line') {
    return (
      'a notebook-wide ignore does not change what runs: put ' +
      `\`# warden: ignore[${finding.ruleId}] reason\` on the line to lift it`
    );
  }
  if (!ignoreHonoured(action, ignorePolicy)) {
    return `your admin's policy does not let an ignore lift a '${action}' rule`;
  }
  return null;
}

export function decideCell(
  findings: readonly Finding[],
  decide: DecideRule,
  ignorePolicy?: IgnorePolicy
): IGateDecision {
  const decided: IDecidedFinding[] = [];
  const ignored: IDecidedFinding[] = [];
  for (const finding of findings) {
    const { action, severity } = decide(finding.ruleId);
    if (action === 'off') {
      continue;
    }
    if (ignoreRefusal(finding, action, ignorePolicy) === null) {
      ignored.push({ finding, action, severity });
    } else {
      decided.push({ finding, action, severity });
    }
  }
  decided.sort(
    (a, b) =>
      ACTIONS.indexOf(b.action) - ACTIONS.indexOf(a.action) ||
      a.finding.from - b.finding.from
  );
  return {
    action: decided[0]?.action ?? 'off',
    findings: decided,
    ...(ignored.length > 0 ? { ignored } : {})
  };
}

/** The text shown in a blocked cell: what was found, why it matters and what to do. */
export function blockedExplanation(decision: IGateDecision): string[] {
  if (decision.undecided !== undefined) {
    return [
      'Jupyter Warden could not check this cell, so it was not sent to the kernel.',
      '',
      `Reason: ${decision.undecided}`,
      '',
      'Run it again; if this persists, tell your admin.'
    ];
  }
  const lines = [
    'Jupyter Warden blocked this cell: it was not sent to the kernel.',
    ''
  ];
  for (const { finding, action } of decision.findings) {
    // The analyzer's message already says why and what to do instead.
    lines.push(
      `Line ${finding.line}: ${finding.message} [${finding.ruleId}, ${action}]`
    );
    if (finding.fix) {
      lines.push(`  Quick fix available in the editor: ${finding.fix.title}`);
    }
  }
  lines.push(
    '',
    'Your admin set this policy; the Warden policy view shows every rule.'
  );
  return lines;
}

/** Is a justification long enough for the policy? */
export function justificationProblem(
  text: string,
  confirm: IConfirmPolicy = {}
): string | null {
  if (!confirm.require_justification) {
    return null;
  }
  const min = Math.max(1, confirm.min_justification_length ?? 1);
  return text.trim().length >= min
    ? null
    : `Your admin asks for a reason of at least ${min} characters.`;
}
