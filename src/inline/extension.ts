/**
 * The CodeMirror extension added to every editor: a debounced linter fed by the shared
 * FindingsRegistry, and the lint gutter.
 */
import { linter, lintGutter } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';

import type { Finding } from '../analyzer';
import type { Action } from '../contracts';
import { toDiagnostic } from './diagnostics';

/** Findings for the editor's current text, or null when this editor is not Python. */
export type FindingsFor = (view: EditorView) => readonly Finding[] | null;

/** Debounce after the last keystroke: short enough to feel live, long enough not to lag. */
export const LINT_DELAY_MS = 150;

export function wardenLinter(
  findingsFor: FindingsFor,
  actionFor: (ruleId: string) => Action
): Extension {
  return [
    linter(
      view => {
        const findings = findingsFor(view);
        if (!findings) {
          return [];
        }
        const length = view.state.doc.length;
        return findings
          .map(f => toDiagnostic(f, actionFor(f.ruleId), length))
          .filter((d): d is NonNullable<typeof d> => d !== null);
      },
      { delay: LINT_DELAY_MS }
    ),
    lintGutter()
  ];
}
