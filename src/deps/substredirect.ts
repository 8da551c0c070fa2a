/**
 * Which redirections a command substitution runs after (red team 57a R57a-6): the kernel's
 * `installs/subst_redirect.py` (its docstring says why, checked with bash 5.2 and dash). A
 * substitution anywhere in a compound command runs after the compound's redirections (the
 * command's `group`); a heredoc body's after its holder's, a subshell's last command's after
 * the subshell's (`early`); a simple command's after its own only in a redirection's word, an
 * assignment in front of the command or alone (dash), or a `[[ ... ]]` test (`afterOwn`).
 * `shellInvocations` hands them to the substitution's commands as a compound's (`around`).
 */
import { afterPrefixes } from './compoundredirect';

/** A word of the line and where it stands (absolute offsets). */
export interface IPiece {
  text: string;
  from: number;
  to: number;
}

/** an assignment word (`NAME=`, `NAME+=`, `NAME[i]=`) */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** Whether a substitution of a simple command (`holds`: whether a piece holds it; the
 * command's `words` and its redirections' `targets`) runs after the command's own
 * redirections are opened. */
export function afterOwn(
  words: IPiece[],
  targets: IPiece[],
  holds: (piece: IPiece) => boolean
): boolean {
  if (targets.some(holds)) {
    return true;
  }
  const head = afterPrefixes(words.map(w => w.text));
  const pieces = words.slice(words.length - head.length);
  if (head[0] === '[[') {
    return true; // the substitution is in the test's words (or in `targets`)
  }
  for (const piece of pieces) {
    if (!ASSIGNMENT.test(piece.text)) {
      break;
    }
    if (holds(piece)) {
      return true;
    }
  }
  return false;
}
