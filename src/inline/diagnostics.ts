/**
 * Findings as CodeMirror diagnostics: the underline, the hover message, the gutter mark and
 * the quick fix. Pure mapping, no JupyterLab imports.
 */
import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';

import type { Finding } from '../analyzer';
import type { Action } from '../contracts';

export function toDiagnostic(
  finding: Finding,
  action: Action,
  docLength: number
): Diagnostic | null {
  if (action === 'off') {
    return null;
  }
  const from = Math.min(finding.from, docLength);
  const to = Math.min(Math.max(finding.to, from), docLength);
  const verb =
    action === 'block'
      ? 'Blocked by policy'
      : action === 'confirm'
        ? 'Needs confirmation'
        : 'Warning';
  const diagnostic: Diagnostic = {
    from,
    to,
    severity: action === 'block' ? 'error' : 'warning',
    source: `Jupyter Warden · ${finding.ruleId}`,
    message: `${verb}: ${finding.message}`,
    markClass: `jp-WardenDiagnostic jp-WardenDiagnostic-${action}`
  };
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
