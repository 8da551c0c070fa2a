/**
 * Findings as CodeMirror diagnostics: the underline, the hover's content, the gutter mark and
 * the quick fix. Pure mapping (the hover's DOM is built by hover.ts), no JupyterLab imports.
 */
import type { Action as LintAction, Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';

import { ignoreHonoured, type Finding, type IgnorePolicy } from '../analyzer';
import { Action, RULES, Severity, SEVERITIES } from '../contracts';
import { ignoreRefusal } from '../gate/decision';
import { renderHover } from './hover';

/** What the policy decides for a finding's rule. */
export interface IRuleDecision {
  action: Action;
  severity: Severity;
}

/** The hover's blocks, top to bottom: what, why, what to do. */
export interface IHoverContent {
  ruleId: string;
  action: Exclude<Action, 'off'>;
  severity: Severity;
  /** "Blocked by policy", "Needs confirmation", "Warning". */
  verb: string;
  title: string;
  explanation: string;
  remediation: string;
  /** The editor's one-click fix, when the finding has one. */
  quickFix?: string;
  /** An ignore written for the finding: what silences it, or why it does not. */
  ignore?: { honoured: boolean; text: string };
}

const VERBS: Record<Exclude<Action, 'off'>, string> = {
  block: 'Blocked by policy',
  confirm: 'Needs confirmation',
  warn: 'Warning'
};

/** The comment an ignore of `ruleId` is written as (the quick fix writes it). */
export function ignoreComment(ruleId: string, reason = ''): string {
  return `# warden: ignore[${ruleId}] ${reason}`;
}

function ignoreNote(
  finding: Finding,
  action: Exclude<Action, 'off'>,
  ignorePolicy: IgnorePolicy | undefined
): IHoverContent['ignore'] {
  const ignored = finding.ignored;
  if (!ignored) {
    return undefined;
  }
  const where =
    ignored.scope === 'line'
      ? `the comment \`${ignoreComment(finding.ruleId, ignored.reason)}\` on line ${finding.line}`
      : `the notebook's ignore (metadata.warden.ignore: ${ignored.reason})`;
  const refusal = ignoreRefusal(finding, action, ignorePolicy);
  return refusal === null
    ? {
        honoured: true,
        text: `Silenced by ${where}. Running it is recorded as allowed by this ignore.`
      }
    : { honoured: false, text: `Not silenced by ${where}: ${refusal}.` };
}

export function hoverContent(
  finding: Finding,
  decision: IRuleDecision & { action: Exclude<Action, 'off'> },
  ignorePolicy?: IgnorePolicy
): IHoverContent {
  const rule = RULES.get(finding.ruleId);
  const ignore = ignoreNote(finding, decision.action, ignorePolicy);
  return {
    ruleId: finding.ruleId,
    action: decision.action,
    severity: decision.severity,
    verb: ignore?.honoured ? 'Ignored' : VERBS[decision.action],
    // The catalog is the one source of the words; a rule it lacks still says what it found.
    title: rule?.title ?? finding.ruleId,
    explanation: rule?.explanation ?? finding.message,
    remediation: rule?.remediation ?? '',
    quickFix: finding.fix?.title,
    ...(ignore ? { ignore } : {})
  };
}

/** Tooltip order of each diagnostic made here: most severe first, then strictest action. */
const RANK = new WeakMap<Diagnostic, number>();

/** The name of the quick fix that writes an ignore comment. */
export const IGNORE_ACTION = 'Ignore on this line';

export function toDiagnostic(
  finding: Finding,
  decision: IRuleDecision,
  docLength: number,
  ignorePolicy?: IgnorePolicy
): Diagnostic | null {
  const { action, severity } = decision;
  if (action === 'off') {
    return null;
  }
  const from = Math.min(finding.from, docLength);
  const to = Math.min(Math.max(finding.to, from), docLength);
  const content = hoverContent(finding, { action, severity }, ignorePolicy);
  const silenced = content.ignore?.honoured === true;
  const diagnostic: Diagnostic = {
    from,
    to,
    // A silenced finding stays visible, dimmed (style/base.css), and sorts after the others.
    severity: silenced ? 'hint' : action === 'block' ? 'error' : 'warning',
    source: `Jupyter Warden · ${finding.ruleId}`,
    // Plain text for the lint panel and screen readers; the hover renders the blocks.
    message: `${content.verb}: ${content.title}. ${content.explanation}${
      content.remediation ? ` What to do: ${content.remediation}` : ''
    }${content.ignore ? ` ${content.ignore.text}` : ''}`,
    renderMessage: view => renderHover(view.dom.ownerDocument, content),
    markClass: silenced
      ? 'jp-WardenDiagnostic jp-WardenDiagnostic-ignored'
      : `jp-WardenDiagnostic jp-WardenDiagnostic-${action}`
  };
  RANK.set(
    diagnostic,
    SEVERITIES.indexOf(severity) * 10 +
      ['warn', 'confirm', 'block'].indexOf(action) -
      (silenced ? 100 : 0)
  );
  const actions: LintAction[] = [];
  const fix = finding.fix;
  if (fix && fix.to <= docLength) {
    actions.push({
      name: fix.title,
      apply: (view: EditorView) => {
        view.dispatch({
          changes: { from: fix.from, to: fix.to, insert: fix.insert }
        });
      }
    });
  }
  // Offered only where an ignore would lift the finding (the policy's ignore.allowed_actions).
  if (!finding.ignored && ignoreHonoured(action, ignorePolicy)) {
    actions.push({
      name: IGNORE_ACTION,
      apply: (view: EditorView) => writeIgnore(view, finding)
    });
  }
  if (actions.length > 0) {
    diagnostic.actions = actions;
  }
  return diagnostic;
}

/**
 * Append the ignore comment to the finding's last line and leave the cursor where its reason
 * goes: an ignore without a reason is not an ignore, so the user writes why.
 */
function writeIgnore(view: EditorView, finding: Finding): void {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(finding.endLine, 1), doc.lines));
  const insert = `  ${ignoreComment(finding.ruleId)}`;
  view.dispatch({
    changes: { from: line.to, insert },
    selection: { anchor: line.to + insert.length },
    scrollIntoView: true
  });
  view.focus();
}

/**
 * Diagnostics of one hover, most severe first (the linter returns them in source order);
 * others' diagnostics keep their order after Warden's.
 */
export function tooltipOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i, rank: RANK.get(d) ?? -1 }))
    .sort((a, b) => b.rank - a.rank || a.i - b.i)
    .map(({ d }) => d);
}
