/**
 * Package names: PEP 503 normalization and names that imitate popular packages. A port of the
 * kernel guard's `installs/names.py`; both pass schema/vectors/install-decision.json.
 * The popular names are the one shipped list (`jupyterlab_warden/kernel/deps/top-packages.txt`),
 * the rule's tables the one shipped `imitation-rules.json` beside it (`ImitationRules`), both
 * read by DepsData from the files the kernel reads. A popular name with extra words
 * (`torch-gpu`, `python-requests`, `torchgpu`) is an imitation too (red team 41b R41b-4).
 */

const SEPARATORS = /[-_.]+/g;
/** The rules' tables' file, beside the ranking in `jupyterlab_warden/kernel/deps/`. */
export const RULES_FILE = 'imitation-rules.json';
const TABLES = [
  'targets',
  'min_length',
  'confusables',
  'affixes',
  'glued_affixes'
];
/** What a normalized name's words are made of. */
const WORD = /^[a-z0-9]+$/;

/** PEP 503 normalized form: lowercase, runs of `-_.` become one `-`. */
export function normalize(name: string): string {
  return name.replace(SEPARATORS, '-').toLowerCase();
}

/**
 * The tables of `imitation-rules.json` (its README entry says what each is for and how its
 * false alarms were measured): `targets`, how many of the most downloaded names are worth
 * imitating (the rest only exempt their own name); `minLength`, below which nearly every edit
 * is another real package (only look-alikes count); `confusables`, look-alike spellings folded
 * in order; `affixes`, words an imitation adds between separators; `gluedAffixes`, those also
 * glued on at the end. A file not of exactly this shape throws, naming the table (never its
 * values): the check cannot run and every install is refused (DepsData), as the kernel's
 * `ImitationRules` does for the same files (schema/vectors/imitation-rules.json).
 */
export class ImitationRules {
  readonly targets: number;
  readonly minLength: number;
  readonly confusables: ReadonlyArray<readonly [string, string]>;
  readonly affixes: ReadonlySet<string>;
  readonly gluedAffixes: readonly string[];

  constructor(table: unknown) {
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      throw new Error(`${RULES_FILE} is not an object`);
    }
    const record = table as Record<string, unknown>;
    const keys = Object.keys(record).filter(k => k !== 'about');
    // a table this reader does not know is a newer rule: not read as less than it says
    if (
      keys.length !== TABLES.length ||
      !TABLES.every(k => Object.prototype.hasOwnProperty.call(record, k))
    ) {
      throw new Error(
        `${RULES_FILE} does not hold exactly the tables ${[...TABLES].sort().join(', ')}`
      );
    }
    if ('about' in record && typeof record.about !== 'string') {
      throw new Error(`${RULES_FILE}: about is not text`);
    }
    this.targets = count(record, 'targets');
    this.minLength = count(record, 'min_length');
    const pairs = record.confusables;
    if (
      !Array.isArray(pairs) ||
      pairs.length === 0 ||
      !pairs.every(
        p => Array.isArray(p) && p.length === 2 && isWord(p[0]) && isWord(p[1])
      )
    ) {
      throw new Error(
        `${RULES_FILE}: confusables is not a list of [seen, meant] words`
      );
    }
    this.confusables = (pairs as string[][]).map(p => [p[0], p[1]] as const);
    this.affixes = new Set(words(record, 'affixes'));
    this.gluedAffixes = words(record, 'glued_affixes');
  }

  /** The rules in a file's text (JSON). */
  static parse(text: string): ImitationRules {
    return new ImitationRules(JSON.parse(text));
  }

  /** What a name looks like to a reader: no separators, look-alike characters folded. */
  skeleton(name: string): string {
    let text = name.toLowerCase().replace(SEPARATORS, '');
    for (const [seen, meant] of this.confusables) {
      text = text.split(seen).join(meant);
    }
    return text;
  }
}

/** A positive whole number (JSON's `3000.0` is `3000`, for the kernel's reader too). */
function count(table: Record<string, unknown>, key: string): number {
  const value = table[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${RULES_FILE}: ${key} is not a positive whole number`);
  }
  return value;
}

function isWord(value: unknown): value is string {
  return typeof value === 'string' && WORD.test(value);
}

/** A list of lowercase words, not empty (an empty table would switch its part off). */
function words(table: Record<string, unknown>, key: string): string[] {
  const value = table[key];
  if (!Array.isArray(value) || value.length === 0 || !value.every(isWord)) {
    throw new Error(`${RULES_FILE}: ${key} is not a list of lowercase words`);
  }
  return [...value];
}

/** Damerau-Levenshtein distance <= 1 (one insert, delete, substitution or swap). */
export function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) {
    return true;
  }
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) {
    return false;
  }
  let i = 0;
  while (i < Math.min(la, lb) && a[i] === b[i]) {
    i++;
  }
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) {
      return true; // substitution
    }
    return (
      i + 1 < la &&
      a[i] === b[i + 1] &&
      a[i + 1] === b[i] &&
      a.slice(i + 2) === b.slice(i + 2)
    );
  }
  return la > lb
    ? a.slice(i + 1) === b.slice(i)
    : a.slice(i) === b.slice(i + 1);
}

/** The names of a ranking's text (one a line, `#` comments), normalized, in order. Throws
 * when it lists no names. */
export function readRanking(text: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  if (names.length === 0) {
    throw new Error('the popular package list names no packages');
  }
  return names.map(normalize);
}

/** The shipped ranking under the rules: `known` (every listed name) and the top ones. */
export class PopularNames {
  readonly known: ReadonlySet<string>;
  private readonly skeletons = new Map<string, string>();
  private readonly targetShapes: Array<[string, string]>;

  constructor(
    ranked: string[],
    readonly rules: ImitationRules
  ) {
    this.known = new Set(ranked);
    const targets = ranked.slice(0, rules.targets);
    for (const target of targets) {
      const shape = rules.skeleton(target);
      if (!this.skeletons.has(shape)) {
        this.skeletons.set(shape, target);
      }
    }
    this.targetShapes = targets
      .filter(t => t.length >= rules.minLength)
      .map(t => [t, rules.skeleton(t)]);
  }

  /** The ranking's text under `rules`. Throws when it lists no names. */
  static parse(text: string, rules: ImitationRules): PopularNames {
    return new PopularNames(readRanking(text), rules);
  }

  /** The popular package `name` imitates, or null. */
  imitated(raw: string): string | null {
    const name = normalize(raw);
    if (this.known.has(name)) {
      return null;
    }
    const lookAlike = this.skeletons.get(this.rules.skeleton(name));
    if (lookAlike !== undefined) {
      return lookAlike;
    }
    const affixed = this.affixed(name);
    if (affixed !== null) {
      return affixed;
    }
    if (name.length < this.rules.minLength) {
      return null;
    }
    // one edit on the name as written, and on its skeleton (separators are free to add)
    const shape = this.rules.skeleton(name);
    for (const [target, targetShape] of this.targetShapes) {
      if (
        editDistanceAtMostOne(name, target) ||
        editDistanceAtMostOne(shape, targetShape)
      ) {
        return target;
      }
    }
    return null;
  }

  /** The target `name` is once its extra words (`affixes`, with any version digits) are
   * removed, if the rest (at least `minLength` characters) looks like one (`torch-gpu`,
   * `torchgpu`). */
  private affixed(name: string): string | null {
    const rules = this.rules;
    const words = name.split('-');
    const rest = words.filter(w => !rules.affixes.has(w.replace(/\d+$/, '')));
    const candidates =
      rest.length > 0 && rest.length < words.length ? [rest.join('-')] : [];
    const glued = name.replace(/\d+$/, '');
    for (const affix of rules.gluedAffixes) {
      if (glued.endsWith(affix)) {
        candidates.push(glued.slice(0, -affix.length));
      }
    }
    for (const candidate of candidates) {
      const shape = rules.skeleton(candidate);
      const target = this.skeletons.get(shape);
      if (shape.length >= rules.minLength && target !== undefined) {
        return target;
      }
    }
    return null;
  }
}
