/**
 * The CodeMirror extension added to every editor: a debounced linter fed by the shared
 * FindingsRegistry, the lint gutter, and a re-lint whenever something other than the text
 * changes what the editor should show (its language, the policy, another cell's imports).
 */
import { linter, lintGutter } from '@codemirror/lint';
import { Extension, StateEffect } from '@codemirror/state';
import { EditorView, ViewPlugin } from '@codemirror/view';

import type { Finding, IgnorePolicy } from '../analyzer';
import { IRuleDecision, toDiagnostic, tooltipOrder } from './diagnostics';

/** Findings for the editor's current text, or null when this editor is not Python. */
export type FindingsFor = (view: EditorView) => readonly Finding[] | null;

/**
 * Call `refresh` whenever what the editor shows may have changed without an edit to it:
 * `force` for a new policy or language, otherwise only when its findings did. Returns a
 * disposer.
 */
export type WatchChanges = (refresh: (force: boolean) => void) => () => void;

/** Debounce after the last keystroke: short enough to feel live, long enough not to lag. */
export const LINT_DELAY_MS = 150;

/** Dispatched to ask for a re-lint: the linter otherwise re-runs on text changes only. */
const relint = StateEffect.define<null>();

export function wardenLinter(
  findingsFor: FindingsFor,
  decisionFor: (ruleId: string) => IRuleDecision,
  watch?: WatchChanges,
  ignorePolicy: () => IgnorePolicy | undefined = () => undefined
): Extension {
  // The findings each view last linted: the registry returns the same array while they hold.
  const shownBy = new WeakMap<EditorView, readonly Finding[] | null>();
  const extensions: Extension[] = [
    linter(
      view => {
        const findings = findingsFor(view);
        shownBy.set(view, findings);
        if (!findings) {
          return [];
        }
        const length = view.state.doc.length;
        const ignores = ignorePolicy();
        return findings
          .map(f => toDiagnostic(f, decisionFor(f.ruleId), length, ignores))
          .filter((d): d is NonNullable<typeof d> => d !== null);
      },
      {
        delay: LINT_DELAY_MS,
        needsRefresh: update =>
          update.transactions.some(tr => tr.effects.some(e => e.is(relint))),
        tooltipFilter: diagnostics => tooltipOrder(diagnostics)
      }
    ),
    lintGutter({ tooltipFilter: diagnostics => tooltipOrder(diagnostics) })
  ];
  if (watch) {
    extensions.push(
      ViewPlugin.define(view => {
        let live = true;
        let queued = false;
        let forced = false;
        const stop = watch(force => {
          forced ||= force;
          if (queued) {
            return;
          }
          queued = true;
          // Not from inside an update cycle (dispatching there throws), and once per burst.
          queueMicrotask(() => {
            queued = false;
            const shown = shownBy.get(view);
            const current = live ? findingsFor(view) : shown;
            if (live && (forced || current !== shown)) {
              view.dispatch({ effects: relint.of(null) });
            }
            forced = false;
          });
        });
        return {
          destroy: () => {
            live = false;
            stop();
          }
        };
      })
    );
  }
  return extensions;
}
