/**
 * Which top-level statements can matter to the analysis, decided from their words without
 * parsing them.
 *
 * A finding needs a call whose callee resolves to a rule's dotted path (or a method named by
 * a method rule, or a trust_remote_code keyword), and resolution always starts from a name:
 * a variable bound in the scope (`t`, `pkl`, `L`) or an implicit one (`torch`, `getattr`,
 * `__import__`). So a statement can only produce a finding, or bind a name to something
 * that later can, if it contains
 *   - `import` (new bindings), or a word a rule matches on whatever the object
 *     (`from_pretrained`, `trust_remote_code`), or
 *   - a name the scope resolves to a relevant path, where the attribute chain written after
 *     it (`torch.hub.load`, but not `torch.relu` or `np.array_split`) stays relevant.
 * A path is relevant when it is a rule target, a prefix of one, a function the resolver
 * follows (paths.ts), or a safe YAML loader (yaml.load's Loader= argument is resolved).
 *
 * Everything else is skipped: `model = Net()`, `torch.relu(x)`, a training loop. Such a
 * statement can bind names only to values the analyzer does not follow (they are stored as
 * unknown, see Scope.bind), so skipping it changes neither findings nor the scope. A plain
 * import (`import numpy as np`, `from pathlib import Path`) is read here without a parse
 * and skipped when it binds every name to what it already meant.
 *
 * Names are found with indexOf (a handful of names per cell, native string search) rather
 * than by listing every identifier: an occurrence counts unless it is part of a longer
 * identifier, an attribute (`x.torch`) or inside a comment. Inside strings it counts, which
 * keeps f-string fields covered and costs at most a parse.
 */
import {
  CALL_RULES,
  FOLDER_KEYWORDS,
  FOLDER_WRITERS,
  METHOD_RULES,
  RULE_KEYWORDS,
  SAFE_YAML_LOADERS,
  STAR_EXPORTS
} from './callrules';
import {
  functionParameters,
  isParameter,
  type FunctionParameters
} from './parameters';
import { RESOLVER_PATHS } from './paths';
import { isLiteralValue, OWN } from './values';
import {
  isIdentChar,
  skipBlanks,
  type StatementScan,
  type Statement
} from './statements';

/** Every rule target and resolver path, and each of their dotted prefixes. */
const RELEVANT_PREFIXES: ReadonlySet<string> = (() => {
  const set = new Set<string>();
  for (const path of [...CALL_RULES.keys(), ...RESOLVER_PATHS]) {
    for (
      let dot = path.indexOf('.');
      dot > 0;
      dot = path.indexOf('.', dot + 1)
    ) {
      set.add(path.slice(0, dot));
    }
    set.add(path);
  }
  return set;
})();

/** Whether a value with this dotted path can lead to a finding. */
export function isRelevantPath(path: string): boolean {
  return (
    isLiteralValue(path) ||
    RELEVANT_PREFIXES.has(path) ||
    SAFE_YAML_LOADERS.has(path.slice(path.lastIndexOf('.') + 1))
  );
}

/**
 * What an import binds: the project's own modules (`ownModules`, e.g. model.py next to the
 * script) bind OWN, so `from model import GPT; GPT.from_pretrained(...)` is not a hub call.
 */
export function importBinding(
  path: string,
  ownModules: ReadonlySet<string> | undefined
): string | null {
  if (ownModules !== undefined && ownModules.has(path.split('.')[0])) {
    return OWN;
  }
  return relevantOrNull(path);
}

/** The path a name is stored under: relevant paths as they are, anything else unknown. */
export function relevantOrNull(path: string | null): string | null {
  return path !== null && isRelevantPath(path) ? path : null;
}

/**
 * Words that make a statement matter whatever the scope holds. They are looked for as plain
 * substrings outside comments (attribute names and strings included): `x.from_pretrained`
 * is an attribute, and a stray match only costs a parse.
 */
const TRIGGER_WORDS: readonly string[] = [
  'import',
  'trust_remote_code',
  ...METHOD_RULES.keys(),
  // keyword arguments a rule reads, also when they sit in a dict passed as **kwargs
  ...RULE_KEYWORDS,
  // calls that write a folder a later from_pretrained may load (values.ts)
  ...FOLDER_WRITERS,
  ...FOLDER_KEYWORDS
];

/**
 * The trigger words as one pattern: one pass over the cell instead of one per word, already
 * in text order. A match hides a word starting inside it, which changes nothing: both are in
 * the same statement (words hold no separator).
 */
const TRIGGER_PATTERN = new RegExp(
  TRIGGER_WORDS.map(w => w.replace(/[^\w]/g, c => `\\${c}`)).join('|'),
  'g'
);

/**
 * A one-line assignment of a string constant without spaces (`model_dir = "out/m"`: model
 * ids, paths and revisions have none, log messages do): the value is kept in
 * the scope (values.ts) so a later from_pretrained(model_dir) or revision=REV can be judged.
 * The filter selects exactly these statements and the Python pass stores exactly their
 * values (isStringAssignment), so both ways of analysing agree.
 */
const STRING_ASSIGNMENT_CORE =
  '[A-Za-z_][A-Za-z0-9_]*[ \\t]*(?::[^=\\n]*)?=[ \\t]*[rRuU]?(?:"[^"\\\\\\s]+"|\'[^\'\\\\\\s]+\')';
const STRING_ASSIGNMENT = new RegExp(
  STRING_ASSIGNMENT_CORE +
    '[ \\t]*(?:#[^\\n\\r]*)?(?:(?:\\r\\n?|\\n)[ \\t]*(?:#[^\\n\\r]*)?)*',
  'y'
);
const STRING_ASSIGNMENT_WHOLE = new RegExp(`^${STRING_ASSIGNMENT_CORE}$`);

/** Whether an assignment statement's text is one the filter selects as a string constant. */
export function isStringAssignment(statement: string): boolean {
  return STRING_ASSIGNMENT_WHOLE.test(statement);
}

const NON_ASCII_RUN = /[\u0080-\uffff]+/g;
const ASCII_NAME_CHAR = /[A-Za-z0-9_]/;

const SPACE = 32;
const TAB = 9;
const DOT = 46;
const AT = 64;
const LOWER_A = 97;
const LOWER_D = 100;

/** Name resolution before the cell, as the filter needs it. */
export interface ScopeView {
  resolve(name: string): string | null;
  /** Every name that resolves to a path (imports, aliases, implicit module names). */
  resolvedNames(): Iterable<string>;
}

/**
 * Decides, statement by statement, whether a statement may produce a finding or a relevant
 * binding, given how names resolved before the cell. Conservative: true whenever in doubt.
 */
export class RelevanceFilter {
  /** Offsets of trigger words, ascending. */
  private readonly triggers: number[];
  /** Name occurrences as [start, end) pairs, ascending. */
  private names: number[];
  /** The names whose occurrences `names` holds. */
  private readonly lookedFor: Set<string>;
  private nextTrigger = 0;
  private nextName = 0;
  /**
   * Names the cell's own plain imports bind (`import pickle as pkl`, `from torch import
   * load`), with the paths they bind: statements after the import are judged with them, so a
   * cell that imports and uses an alias is analysed in one pass.
   */
  private readonly imported = new Map<string, string | null>();
  /**
   * Names a selected statement may have bound to something relevant, read without a parse:
   * `f = t.load`, `x = (y := t.load)`, `loader = getattr(pkl, "load")`, the names of `from
   * pickle import *`. Their later occurrences are selected too (by the path written here, or
   * every occurrence for null), so the first pass already sees the uses and no refinement
   * round is needed for them. Only ever adds to the selection, and kept apart from
   * `imported`: a wrong guess costs a parse, never a finding (the pass's own changes still
   * decide the rounds).
   */
  private readonly aliases = new Map<string, string | null>();

  constructor(
    private readonly code: string,
    private readonly scan: StatementScan,
    private readonly scope: ScopeView,
    private readonly ownModules?: ReadonlySet<string>
  ) {
    const found: number[] = [];
    TRIGGER_PATTERN.lastIndex = 0;
    for (
      let m = TRIGGER_PATTERN.exec(code);
      m !== null;
      m = TRIGGER_PATTERN.exec(code)
    ) {
      found.push(m.index);
    }
    // Python reads identifiers NFKC-normalised: non-ASCII letters that normalise to ASCII
    // ones (fullwidth `ｐｉｃｋｌｅ`, ligatures) may spell any name, so they count as triggers.
    const words = found.length;
    NON_ASCII_RUN.lastIndex = 0;
    for (
      let m = NON_ASCII_RUN.exec(code);
      m !== null;
      m = NON_ASCII_RUN.exec(code)
    ) {
      if (ASCII_NAME_CHAR.test(m[0].normalize('NFKC'))) {
        found.push(m.index);
      }
    }
    // The words come in text order; only these additions need a sort.
    this.triggers = withoutComments(
      found.length > words ? found.sort((a, b) => a - b) : found,
      scan.comments
    );
    this.lookedFor = new Set(scope.resolvedNames());
    this.names = nameOccurrences(code, this.lookedFor, scan.comments);
  }

  /** Call for the statements in text order. */
  mayMatter(statement: Statement): boolean {
    const { code, triggers, names } = this;
    while (
      this.nextTrigger < triggers.length &&
      triggers[this.nextTrigger] < statement.from
    ) {
      this.nextTrigger++;
    }
    while (
      this.nextName < names.length &&
      names[this.nextName] < statement.from
    ) {
      this.nextName += 2;
    }
    const imported = plainImport(code, statement);
    if (imported !== null) {
      const changed = imported
        .map(([name, path]): [string, string | null] => [
          name,
          importBinding(path, this.ownModules)
        ])
        .filter(([name, path]) => path !== this.resolve(name));
      this.assume(changed, statement.to);
      return changed.length > 0;
    }
    if (
      this.nextTrigger < triggers.length &&
      triggers[this.nextTrigger] < statement.to
    ) {
      this.noteAliases(statement);
      return true;
    }
    STRING_ASSIGNMENT.lastIndex = statement.from;
    if (
      STRING_ASSIGNMENT.test(code) &&
      STRING_ASSIGNMENT.lastIndex === statement.to
    ) {
      return true;
    }
    const parameters = new LazyParameters(code, statement);
    for (
      let k = this.nextName;
      k < names.length && names[k] < statement.to;
      k += 2
    ) {
      const name = code.slice(names[k], names[k + 1]);
      const path = this.resolve(name);
      const alias = this.aliases.get(name);
      if (
        ((path !== null && chainIsRelevant(code, names[k + 1], path)) ||
          alias === null ||
          (alias !== undefined &&
            chainIsRelevant(code, names[k + 1], alias))) &&
        !parameters.has(name, names[k])
      ) {
        this.noteAliases(statement);
        return true;
      }
    }
    return false;
  }

  /** Look for the names a selected statement may bind (see `aliases`) after it. */
  private noteAliases(statement: Statement): void {
    const bound = aliasBindings(this.code, statement, name => {
      const path = this.resolve(name);
      return path !== null ? path : this.aliases.get(name);
    });
    const added: string[] = [];
    for (const [name, path] of bound) {
      if (this.aliases.has(name)) {
        if (path === null || this.aliases.get(name) !== path) {
          this.aliases.set(name, null);
        }
        continue;
      }
      this.aliases.set(name, path);
      if (!this.lookedFor.has(name)) {
        this.lookedFor.add(name);
        added.push(name);
      }
    }
    this.lookFor(added, statement.to);
  }

  private resolve(name: string): string | null {
    const own = this.imported.get(name);
    return own !== undefined ? own : this.scope.resolve(name);
  }

  /** Judge the statements after `from` with these bindings. */
  private assume(bindings: Array<[string, string | null]>, from: number): void {
    const added: string[] = [];
    for (const [name, path] of bindings) {
      if (path !== null && !this.lookedFor.has(name)) {
        this.lookedFor.add(name);
        added.push(name);
      }
      this.imported.set(name, path);
    }
    this.lookFor(added, from);
  }

  /** Also find these names' occurrences, from `from` on. */
  private lookFor(added: readonly string[], from: number): void {
    if (added.length > 0) {
      const more = nameOccurrences(this.code, added, this.scan.comments, from);
      this.names = mergePairs(this.names.slice(this.nextName), more);
      this.nextName = 0;
    }
  }
}

/**
 * Follow `.attr` after a name (spaces and tabs allowed around the dot, as Python does) and
 * tell whether the path it ends on is relevant. Anything else after the name (a bracket, a
 * line break, `=`) ends the chain where it is, so `(torch).load` and `x = torch` count.
 */
function chainIsRelevant(code: string, from: number, base: string): boolean {
  let path = base;
  let i = from;
  for (;;) {
    i = skipBlanks(code, i);
    if (code.charCodeAt(i) !== DOT || code.charCodeAt(i + 1) === DOT) {
      break;
    }
    const start = skipBlanks(code, i + 1);
    let end = start;
    while (end < code.length && isIdentChar(code.charCodeAt(end))) {
      end++;
    }
    if (end === start) {
      break;
    }
    path = `${path}.${code.slice(start, end)}`;
    i = end;
  }
  return isRelevantPath(path);
}

/** A change of what a module-level name means, made by the statement starting at `at`. */
export interface NameChange {
  at: number;
  name: string;
  path: string | null;
}

/**
 * After a pass over the selected statements, the skipped ones judged again with what names
 * really meant where each stands: `before` changed by the pass's dated `changes`, where the
 * filter had only assumed (an assignment it cannot read, `loader = getattr(pkl, "load")`,
 * or `torch = None` between two imports). Only what those changes touch can judge
 * differently: occurrences of a name they bound to a relevant path, and plain imports
 * (which matter when they change a name). Marks the statements that may matter now in
 * `selected`; true when it marked any.
 */
export function selectAfterPass(
  code: string,
  scan: StatementScan,
  selected: boolean[],
  before: ScopeView,
  changes: readonly NameChange[],
  ownModules?: ReadonlySet<string>
): boolean {
  if (changes.length === 0) {
    // Names meant what they meant before the cell everywhere, as the filter assumed (an
    // import it took as a change would have changed the scope).
    return false;
  }
  // Before the first change the same holds: nothing there can be judged differently.
  const first = changes[0].at;
  const names = new Set<string>();
  for (const c of changes) {
    if (c.path !== null) {
      names.add(c.name);
    }
  }
  const found =
    names.size > 0 ? nameOccurrences(code, names, scan.comments, first) : [];
  const now = new Map<string, string | null>();
  const resolve = (name: string): string | null => {
    const path = now.get(name);
    return path !== undefined ? path : before.resolve(name);
  };
  let added = false;
  let c = 0;
  let k = 0;
  scan.statements.forEach((s, i) => {
    for (; c < changes.length && changes[c].at < s.from; c++) {
      now.set(changes[c].name, changes[c].path);
    }
    while (k < found.length && found[k] < s.from) {
      k += 2;
    }
    if (selected[i] || s.from < first) {
      return;
    }
    const imported = plainImport(code, s);
    if (imported !== null) {
      if (
        imported.some(
          ([name, path]) => importBinding(path, ownModules) !== resolve(name)
        )
      ) {
        selected[i] = added = true;
      }
      return;
    }
    const parameters = new LazyParameters(code, s);
    for (let j = k; j < found.length && found[j] < s.to; j += 2) {
      const name = code.slice(found[j], found[j + 1]);
      const path = resolve(name);
      if (
        path !== null &&
        chainIsRelevant(code, found[j + 1], path) &&
        !parameters.has(name, found[j])
      ) {
        selected[i] = added = true;
        return;
      }
    }
  });
  return added;
}

/**
 * The parameters of the function a statement defines, read the first time an occurrence
 * that would select it is asked about: a use of a parameter is not a use of the module's
 * name (parameters.ts).
 */
class LazyParameters {
  private parameters: FunctionParameters | null | undefined;

  constructor(
    private readonly code: string,
    private readonly statement: Statement
  ) {}

  has(name: string, at: number): boolean {
    if (this.parameters === undefined) {
      const first = this.code.charCodeAt(this.statement.from);
      this.parameters =
        first === AT || first === LOWER_A || first === LOWER_D
          ? functionParameters(this.code, this.statement)
          : null;
    }
    return isParameter(this.parameters, name, at);
  }
}

/**
 * The offsets (ascending) that are not inside a comment: the pass reads no comment, and the
 * blank and comment lines after a statement belong to it (statements.ts), so a trigger word
 * there (`# import later`, `# model = AutoModel.from_pretrained(...)`) would select the
 * function before it.
 */
function withoutComments(
  offsets: number[],
  comments: readonly number[]
): number[] {
  if (comments.length === 0) {
    return offsets;
  }
  const out: number[] = [];
  let c = 0;
  for (const at of offsets) {
    while (c < comments.length && comments[c + 1] <= at) {
      c += 2;
    }
    if (!(c < comments.length && comments[c] <= at)) {
      out.push(at);
    }
  }
  return out;
}

/** Two ascending lists of [start, end) pairs (flattened) as one. */
function mergePairs(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      out.push(a[i], a[i + 1]);
      i += 2;
    } else {
      out.push(b[j], b[j + 1]);
      j += 2;
    }
  }
  return out;
}

/** Compiled name patterns by their name list (a notebook's scopes repeat). */
const PATTERNS = new Map<string, RegExp>();
const MAX_PATTERNS = 64;

/** One regular expression matching any of `names` as a whole identifier. */
function namesPattern(names: Iterable<string>): RegExp | null {
  const list = [...names];
  if (list.length === 0) {
    return null;
  }
  // Scopes list their names in a stable order, so equal scopes share a key without a sort.
  const key = list.join(' ');
  let pattern = PATTERNS.get(key);
  if (pattern === undefined) {
    if (PATTERNS.size >= MAX_PATTERNS) {
      PATTERNS.clear();
    }
    const alternatives = list.map(n =>
      n.replace(/[^\w\u00a1-\uffff]/g, c => `\\${c}`)
    );
    pattern = new RegExp(
      `(?<![\\w\\u00a1-\\uffff])(?:${alternatives.join('|')})(?![\\w\\u00a1-\\uffff])`,
      'g'
    );
    PATTERNS.set(key, pattern);
  }
  return pattern;
}

/**
 * Occurrences of `names` in `code` from offset `from` on, as names, as [start, end) pairs,
 * ascending.
 */
function nameOccurrences(
  code: string,
  names: Iterable<string>,
  comments: readonly number[],
  from = 0
): number[] {
  const out: number[] = [];
  const pattern = namesPattern(names);
  if (pattern === null) {
    return out;
  }
  pattern.lastIndex = from;
  let c = 0;
  for (let m = pattern.exec(code); m !== null; m = pattern.exec(code)) {
    const start = m.index;
    while (c < comments.length && comments[c + 1] <= start) {
      c += 2;
    }
    if (
      (c < comments.length && comments[c] <= start) ||
      isAttributeName(code, start)
    ) {
      continue;
    }
    out.push(start, start + m[0].length);
  }
  return out;
}

/**
 * `name` in `expr.name`: a single dot after the end of an expression (identifier, closing
 * bracket, quote or digit). An ellipsis or a dot after an operator is not an attribute
 * access, so the name after it counts.
 */
function isAttributeName(code: string, start: number): boolean {
  let j = start - 1;
  while (
    j >= 0 &&
    (code.charCodeAt(j) === SPACE || code.charCodeAt(j) === TAB)
  ) {
    j--;
  }
  if (j < 1 || code.charCodeAt(j) !== DOT) {
    return false;
  }
  j--;
  while (
    j >= 0 &&
    (code.charCodeAt(j) === SPACE || code.charCodeAt(j) === TAB)
  ) {
    j--;
  }
  if (j < 0) {
    return false;
  }
  const before = code.charCodeAt(j);
  return (
    (isIdentChar(before) && before !== DOT) ||
    before === 41 ||
    before === 93 ||
    before === 125 ||
    before === 39 ||
    before === 34
  );
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const DOTTED = `${NAME}(?:\\.${NAME})*`;
const AS = `(?:[ \\t]+as[ \\t]+${NAME})?`;
/**
 * The rest of a statement after a one-line import: a comment, then blank or comment lines
 * up to the next statement (an indented line does not match, so the statement is parsed).
 */
const TAIL =
  '[ \\t]*(?:#[^\\n\\r]*)?(?:(?:\\r\\n?|\\n)[ \\t]*(?:#[^\\n\\r]*)?)*';
const PLAIN_IMPORT = new RegExp(
  `import[ \\t]+(${DOTTED}${AS}(?:[ \\t]*,[ \\t]*${DOTTED}${AS})*)${TAIL}`,
  'y'
);
const PLAIN_FROM_IMPORT = new RegExp(
  `from[ \\t]+(${DOTTED})[ \\t]+import[ \\t]+(${NAME}${AS}(?:[ \\t]*,[ \\t]*${NAME}${AS})*)${TAIL}`,
  'y'
);
const AS_SEPARATOR = /[ \t]+as[ \t]+/;
const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'False None True and as assert async await break class continue def del elif else ' +
    'except finally for from global if import in is lambda nonlocal not or pass raise ' +
    'return try while with yield'
  ).split(' ')
);

/**
 * The bindings of a one-line `import a.b [as c], ...` or `from a.b import c [as d], ...`
 * statement (ASCII names, no parentheses, star or relative module), as [name, path]
 * pairs; null for any other statement, which is then parsed.
 */
function plainImport(
  code: string,
  statement: Statement
): Array<[string, string]> | null {
  const first = code.charCodeAt(statement.from);
  const pattern =
    first === 105 ? PLAIN_IMPORT : first === 102 ? PLAIN_FROM_IMPORT : null;
  if (pattern === null) {
    return null;
  }
  pattern.lastIndex = statement.from;
  const m = pattern.exec(code);
  if (m === null || pattern.lastIndex !== statement.to) {
    return null;
  }
  const out: Array<[string, string]> = [];
  const module = pattern === PLAIN_FROM_IMPORT ? m[1] : null;
  for (const part of (module === null ? m[1] : m[2]).split(',')) {
    const [name, alias] = part.trim().split(AS_SEPARATOR);
    if (KEYWORDS.has(name) || (alias !== undefined && KEYWORDS.has(alias))) {
      // A keyword where a name belongs is a syntax error: let Lezer handle it.
      return null;
    }
    if (module !== null) {
      out.push([alias ?? name, `${module}.${name}`]);
    } else if (alias !== undefined) {
      out.push([alias, name]);
    } else {
      const top = name.split('.')[0];
      out.push([top, top]);
    }
  }
  if (module !== null && module.split('.').some(w => KEYWORDS.has(w))) {
    return null;
  }
  return out;
}

/** `from a.b import *` on one line (what a pass binds for it: STAR_EXPORTS). */
const STAR_IMPORT = new RegExp(
  `from[ \\t]+(${DOTTED})[ \\t]+import[ \\t]*\\*${TAIL}`,
  'y'
);
const STRING_LITERAL = `(?:"([^"\\\\\\n\\r]*)"|'([^'\\\\\\n\\r]*)')`;
/**
 * One-line assignments that make names stand for what the right side names, without a call
 * the analyzer does not follow: `f = t.load`, `g = f`, `x = (y := t.load)`,
 * `loader = getattr(pkl, "load")`, `mod = importlib.import_module("torch.serialization")`,
 * `m = __import__("pickle")`. Groups: the targets; the walrus target and chain; getattr's
 * object and attribute; the importing callee and its module; a plain chain.
 */
const ALIAS_ASSIGNMENT = new RegExp(
  `((?:${NAME}[ \\t]*=[ \\t]*)+)` +
    `(?:\\([ \\t]*(${NAME})[ \\t]*:=[ \\t]*(${DOTTED})[ \\t]*\\)` +
    `|getattr[ \\t]*\\([ \\t]*(${DOTTED})[ \\t]*,[ \\t]*${STRING_LITERAL}[ \\t]*\\)` +
    `|(?:${DOTTED}\\.)?(import_module|__import__)[ \\t]*\\([ \\t]*${STRING_LITERAL}[ \\t]*\\)` +
    // A plain chain last, and only up to the statement's tail: else the dotted callee of
    // the forms above would match here and leave their call unread.
    `|(${DOTTED})(?=[ \\t]*(?:#|\\r|\\n|$)))` +
    TAIL,
  'y'
);
const ASSIGNED_NAME = new RegExp(NAME, 'g');
/**
 * `kwargs = {"trust_remote_code": True, ...}` or `dict(...)`, on any number of lines: the
 * pass keeps a dict's keyword values for a later `f(**kwargs)` (values.ts), so every later
 * occurrence counts.
 */
const DICT_ASSIGNMENT = new RegExp(
  `(${NAME})[ \\t]*=[ \\t]*(?:\\{|dict[ \\t]*\\()`,
  'y'
);

/**
 * The path a dotted chain stands for: its head resolved by `resolve` (a path, null for
 * "anything", undefined for nothing relevant) and the attributes appended.
 */
function chainPath(
  chain: string,
  resolve: (name: string) => string | null | undefined
): string | null | undefined {
  const dot = chain.indexOf('.');
  const head = resolve(dot < 0 ? chain : chain.slice(0, dot));
  if (head === null || head === undefined) {
    return head;
  }
  const path = dot < 0 ? head : head + chain.slice(dot);
  return isRelevantPath(path) ? path : undefined;
}

/**
 * The names a selected statement may bind to something relevant, each with the path it
 * stands for, or null when only "anything" is known (every later occurrence counts); an
 * empty list when the statement is not of a shape read here or binds nothing relevant.
 */
function aliasBindings(
  code: string,
  statement: Statement,
  resolve: (name: string) => string | null | undefined
): Array<[string, string | null]> {
  STAR_IMPORT.lastIndex = statement.from;
  let m = STAR_IMPORT.exec(code);
  if (m !== null && STAR_IMPORT.lastIndex === statement.to) {
    const mod = m[1];
    return (STAR_EXPORTS.get(mod) ?? []).map(name => [name, `${mod}.${name}`]);
  }
  DICT_ASSIGNMENT.lastIndex = statement.from;
  m = DICT_ASSIGNMENT.exec(code);
  if (m !== null) {
    return KEYWORDS.has(m[1]) ? [] : [[m[1], null]];
  }
  ALIAS_ASSIGNMENT.lastIndex = statement.from;
  m = ALIAS_ASSIGNMENT.exec(code);
  if (m === null || ALIAS_ASSIGNMENT.lastIndex !== statement.to) {
    return [];
  }
  const names: string[] = m[1].match(ASSIGNED_NAME) ?? [];
  let path: string | null | undefined;
  if (m[2] !== undefined) {
    names.push(m[2]);
    path = chainPath(m[3], resolve);
  } else if (m[4] !== undefined) {
    path = chainPath(`${m[4]}.${m[5] ?? m[6]}`, resolve);
  } else if (m[7] !== undefined) {
    // __import__('a.b') returns package a (no fromlist), as the pass reads it.
    const module =
      m[7] === '__import__' ? (m[8] ?? m[9]).split('.')[0] : (m[8] ?? m[9]);
    path = isRelevantPath(module) ? module : undefined;
  } else {
    path = chainPath(m[10], resolve);
  }
  if (path === undefined) {
    return [];
  }
  return names.filter(n => !KEYWORDS.has(n)).map(n => [n, path]);
}
