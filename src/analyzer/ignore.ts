/**
 * Ignore comments: `# warden: ignore[rule-id, other-id] reason` on a line ignores those
 * rules' findings that start or end on that line; `metadata.warden.ignore` of a notebook
 * (`[{"rule": "pickle-load", "reason": "..."}]`) ignores a rule in every cell. A reason is
 * required: an ignore without one is not an ignore. The analyzer only marks findings
 * (Finding.ignored); whether an ignore is honoured is the policy's decision
 * (`ignoreHonoured`, policy `ignore.allowed_actions`), so every layer decides the same way.
 */
import type { Action, IPolicyDocument } from '../contracts';
import type { Finding, FindingIgnore } from './types';

/** `# warden: ignore[a, b] reason` (case-insensitive keyword, spaces allowed). */
const IGNORE_COMMENT =
  /#\s*warden:\s*ignore\[([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)\]([^\n\r]*)/gi;

const MAX_REASON = 500;

/** Line (1-based) -> rule id -> reason, from the comments in `code`. */
export function ignoreComments(code: string): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  if (!/warden/i.test(code)) {
    return out;
  }
  IGNORE_COMMENT.lastIndex = 0;
  for (
    let m = IGNORE_COMMENT.exec(code);
    m !== null;
    m = IGNORE_COMMENT.exec(code)
  ) {
    const reason = m[2].trim().slice(0, MAX_REASON);
    if (reason.length === 0) {
      continue;
    }
    let line = 1;
    for (let i = code.indexOf('\n'); i >= 0 && i < m.index;) {
      line++;
      i = code.indexOf('\n', i + 1);
    }
    const rules = out.get(line) ?? new Map<string, string>();
    for (const id of m[1].split(',')) {
      rules.set(id.trim().toLowerCase(), reason);
    }
    out.set(line, rules);
  }
  return out;
}

/** The notebook-wide ignores of `metadata.warden.ignore`; entries without a reason are dropped. */
export function notebookIgnores(metadata: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const list = (metadata as { warden?: { ignore?: unknown } } | null)?.warden
    ?.ignore;
  if (!Array.isArray(list)) {
    return out;
  }
  for (const entry of list) {
    const e = entry as { rule?: unknown; reason?: unknown } | null;
    if (
      typeof e?.rule === 'string' &&
      typeof e.reason === 'string' &&
      e.reason.trim().length > 0
    ) {
      out.set(e.rule, e.reason.trim().slice(0, MAX_REASON));
    }
  }
  return out;
}

/** Mark the findings an ignore comment on their lines, or the notebook, names. */
export function markIgnored(
  code: string,
  findings: Finding[],
  notebook: ReadonlyMap<string, string> | undefined
): void {
  if (findings.length === 0) {
    return;
  }
  const comments = ignoreComments(code);
  if (comments.size === 0 && (notebook === undefined || notebook.size === 0)) {
    return;
  }
  for (const f of findings) {
    let ignored: FindingIgnore | undefined;
    for (let line = f.line; line <= f.endLine && !ignored; line++) {
      const reason = comments.get(line)?.get(f.ruleId);
      if (reason !== undefined) {
        ignored = { scope: 'line', reason };
      }
    }
    const nb = notebook?.get(f.ruleId);
    if (!ignored && nb !== undefined) {
      ignored = { scope: 'notebook', reason: nb };
    }
    if (ignored) {
      f.ignored = ignored;
    }
  }
}

/** The policy's `ignore` section (schema/policy.schema.json). */
export type IgnorePolicy = NonNullable<IPolicyDocument['ignore']>;

/**
 * Actions an ignore may lift when the policy says nothing: `warn` only. A notebook shared by
 * someone else carries its ignore comments with it, so by default a comment cannot skip a
 * confirmation (or a block); an admin may allow that (`ignore.allowed_actions`).
 */
export const DEFAULT_IGNORABLE_ACTIONS: readonly Action[] = ['warn'];

/**
 * Whether an ignore is honoured for a finding whose policy action is `action`: only the
 * actions the policy lists (default warn only; `confirm` and `block` when an admin lists them).
 */
export function ignoreHonoured(
  action: Action,
  policy: IgnorePolicy | undefined
): boolean {
  if (action === 'off') {
    return false;
  }
  const allowed = policy?.allowed_actions ?? DEFAULT_IGNORABLE_ACTIONS;
  return allowed.includes(action);
}
