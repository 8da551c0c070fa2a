/**
 * Findings as CodeMirror diagnostics: the underline, the hover's content, the gutter mark and
 * the quick fix. Pure mapping (the hover's DOM is built by hover.ts), no JupyterLab imports.
 */
import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';

import type { Finding } from '../analyzer';
import { Action, RULES, Severity, SEVERITIES } from '../contracts';
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
}

const VERBS: Record<Exclude<Action, 'off'>, string> = {
  block: 'Blocked by policy',
  confirm: 'Needs confirmation',
  warn: 'Warning'
};

export function hoverContent(
  finding: Finding,
  decision: IRuleDecision & { action: Exclude<Action, 'off'> }
): IHoverContent {
  const rule = RULES.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    action: decision.action,
    severity: decision.severity,
    verb: VERBS[decision.action],
    // The catalog is the one source of the words; a rule it lacks still says what it found.
    title: rule?.title ?? finding.ruleId,
    explanation: rule?.explanation ?? finding.message,
    remediation: rule?.remediation ?? '',
    quickFix: finding.fix?.title
  };
}

/** Tooltip order of each diagnostic made here: most severe first, then strictest action. */
const RANK = new WeakMap<Diagnostic, number>();

export function toDiagnostic(
  finding: Finding,
  decision: IRuleDecision,
  docLength: number
): Diagnostic | null {
  const { action, severity } = decision;
  if (action === 'off') {
    return null;
  }
  const from = Math.min(finding.from, docLength);
  const to = Math.min(Math.max(finding.to, from), docLength);
  const content = hoverContent(finding, { action, severity });
  const diagnostic: Diagnostic = {
    from,
    to,
    severity: action === 'block' ? 'error' : 'warning',
    source: `Jupyter Warden · ${finding.ruleId}`,
    // Plain text for the lint panel and screen readers; the hover renders the blocks.
    message: `${content.verb}: ${content.title}. ${content.explanation}${
      content.remediation ? ` What to do: ${content.remediation}` : ''
    }`,
    renderMessage: view => renderHover(view.dom.ownerDocument, content),
    markClass: `jp-WardenDiagnostic jp-WardenDiagnostic-${action}`
  };
  RANK.set(
    diagnostic,
    SEVERITIES.indexOf(severity) * 10 +
      ['warn', 'confirm', 'block'].indexOf(action)
  );
  const fix = finding.fix;
  if (fix && fix.to <= docLength) {
    diagnostic.actions = [
      {
        name: fix.title,
        apply: (view: EditorView) => {
          view.dispatch({
            changes: { from: fix.from, to: fix.to, insert: fix.insert }
          });
        }
      }
    ];
  }
  return diagnostic;
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
