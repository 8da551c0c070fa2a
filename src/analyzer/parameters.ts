/**
 * The parameters of a top-level function, read from its header without a parse, for the
 * relevance filter (relevance.ts).
 *
 * A module-level name the filter follows (`model = AutoModel.from_pretrained(...)`) is very
 * often also a parameter name (`def train(model, loader): ...`). Inside such a function the
 * name is the parameter, which the Python pass binds to nothing it follows
 * (python.ts `parameters`), so neither the parameter itself nor its uses in the body can
 * lead to a finding: the filter need not parse the function for them. Default values,
 * annotations and decorators are evaluated outside the function and still count.
 *
 * Only plain headers are read: one-line decorators without quotes or comments, and a
 * parameter list without brackets or comments whose strings are simple one-line literals.
 * Anything else, and a body that says `global` or `nonlocal` anywhere (even in a string or
 * comment), gives null: every occurrence then counts, as before.
 */
import type { Statement } from './statements';

export interface FunctionParameters {
  /** The parameter names. */
  names: ReadonlySet<string>;
  /** Offsets where a parameter's name is written in the header. */
  declaredAt: ReadonlySet<number>;
  /** Where the body begins (after the header's colon). */
  body: number;
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const SIMPLE_STRING = `[rRuUbBfF]{0,2}(?:"[^"\\\\\\n\\r]*"|'[^'\\\\\\n\\r]*')`;
/**
 * Decorator lines, then `[async] def NAME(PARAMS) [-> ANNOTATION]:`. Group 1: the parameter
 * list. No bracket, comment or backslash in the list, so its commas separate parameters
 * once the simple strings are blanked out.
 */
const HEADER = new RegExp(
  `(?:@[^\\n\\r'"#\\\\]*(?:\\r\\n?|\\n))*` +
    `(?:async[ \\t]+)?def[ \\t]+${NAME}[ \\t]*\\(` +
    `((?:[^()\\[\\]{}'"#\\\\]|${SIMPLE_STRING})*)` +
    `\\)[ \\t]*(?:->[^:\\n\\r'"#\\\\()]*)?:`,
  'y'
);
const STRING = new RegExp(SIMPLE_STRING, 'g');
/** A parameter's name: first in its comma-separated part, after `*`, `**` or blanks. */
const DECLARED = new RegExp(`^([\\s*]*)(${NAME})`);
/** A body that may make a parameter's name mean the module's. */
const SCOPE_STATEMENT = /\b(?:global|nonlocal)\b/;
/** A lambda's own parameters and commas would read as the function's. */
const LAMBDA = /\blambda\b/;

/** The parameters of `statement` when it is a plain function definition, else null. */
export function functionParameters(
  code: string,
  statement: Statement
): FunctionParameters | null {
  HEADER.lastIndex = statement.from;
  const m = HEADER.exec(code);
  if (m === null || HEADER.lastIndex > statement.to) {
    return null;
  }
  const body = HEADER.lastIndex;
  if (SCOPE_STATEMENT.test(code.slice(body, statement.to))) {
    return null;
  }
  // Blank the strings out (same length), so a comma or name inside one is not a parameter.
  const list = m[1].replace(STRING, s => ' '.repeat(s.length));
  if (LAMBDA.test(list)) {
    return null;
  }
  const names = new Set<string>();
  const declaredAt = new Set<number>();
  // The list ends at the header's last `)` (the return annotation holds none).
  let at = m.index + m[0].lastIndexOf(')') - m[1].length;
  for (const part of list.split(',')) {
    const d = DECLARED.exec(part);
    if (d !== null) {
      names.add(d[2]);
      declaredAt.add(at + d[1].length);
    }
    at += part.length + 1;
  }
  return { names, declaredAt, body };
}

/** Whether `name` written at `at` is one of the parameters or a use of one in the body. */
export function isParameter(
  parameters: FunctionParameters | null,
  name: string,
  at: number
): boolean {
  return (
    parameters !== null &&
    (parameters.declaredAt.has(at) ||
      (at >= parameters.body && parameters.names.has(name)))
  );
}
