/**
 * Package names: PEP 503 normalization and names that imitate popular packages. A port of the
 * kernel guard's `installs/names.py`; both pass schema/vectors/install-decision.json.
 * The popular names are the one shipped list (`jupyterlab_warden/kernel/deps/top-packages.txt`).
 * A popular name with extra words (`torch-gpu`, `python-requests`, `torchgpu`) is an
 * imitation too (red team 41b R41b-4).
 */

/** The most downloaded names worth imitating; the rest only exempt their own name. */
export const TARGETS = 3000;
/** Below this nearly every edit is another real package: only look-alikes count. */
export const MIN_LENGTH = 4;
const SEPARATORS = /[-_.]+/g;
const CONFUSABLES: ReadonlyArray<[string, string]> = [
  ['rn', 'm'],
  ['vv', 'w'],
  ['0', 'o'],
  ['1', 'l'],
  ['i', 'l'],
  ['5', 's'],
  ['3', 'e'],
  ['4', 'a'],
  ['7', 't'],
  ['8', 'b']
];
/** Words an imitation adds to a popular name (with any version digits: `cuda12`, `py3`),
 * between separators; the device words also glued on at the end (the kernel's `AFFIXES`,
 * `GLUED_AFFIXES`: the false alarms are measured there). */
export const AFFIXES: ReadonlySet<string> = new Set([
  'gpu',
  'cpu',
  'cuda',
  'cu',
  'py',
  'python',
  'lib',
  'sdk',
  'api',
  'client',
  'util',
  'utils',
  'tool',
  'tools',
  'dev',
  'nightly'
]);
const GLUED_AFFIXES = ['gpu', 'cpu', 'cuda'];

/** PEP 503 normalized form: lowercase, runs of `-_.` become one `-`. */
export function normalize(name: string): string {
  return name.replace(SEPARATORS, '-').toLowerCase();
}

/** What a name looks like to a reader: no separators, look-alike characters folded. */
export function skeleton(name: string): string {
  let text = name.toLowerCase().replace(SEPARATORS, '');
  for (const [seen, meant] of CONFUSABLES) {
    text = text.split(seen).join(meant);
  }
  return text;
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

/** The shipped ranking: `known` (every listed name) and the top `TARGETS` names. */
export class PopularNames {
  readonly known: ReadonlySet<string>;
  private readonly skeletons = new Map<string, string>();
  private readonly targetShapes: Array<[string, string]>;

  constructor(ranked: string[]) {
    this.known = new Set(ranked);
    const targets = ranked.slice(0, TARGETS);
    for (const target of targets) {
      const shape = skeleton(target);
      if (!this.skeletons.has(shape)) {
        this.skeletons.set(shape, target);
      }
    }
    this.targetShapes = targets
      .filter(t => t.length >= MIN_LENGTH)
      .map(t => [t, skeleton(t)]);
  }

  /** The list's text: one name a line, `#` comments. Throws when it lists no names. */
  static parse(text: string): PopularNames {
    const names = text
      .split(/\r?\n/)
      .map(l => l.trim())
      .filter(l => l && !l.startsWith('#'));
    if (names.length === 0) {
      throw new Error('the popular package list names no packages');
    }
    return new PopularNames(names.map(normalize));
  }

  /** The popular package `name` imitates, or null. */
  imitated(raw: string): string | null {
    const name = normalize(raw);
    if (this.known.has(name)) {
      return null;
    }
    const lookAlike = this.skeletons.get(skeleton(name));
    if (lookAlike !== undefined) {
      return lookAlike;
    }
    const affixed = this.affixed(name);
    if (affixed !== null) {
      return affixed;
    }
    if (name.length < MIN_LENGTH) {
      return null;
    }
    // one edit on the name as written, and on its skeleton (separators are free to add)
    const shape = skeleton(name);
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

  /** The target `name` is once its extra words (with any version digits) are removed, if
   * the rest (at least `MIN_LENGTH` characters) looks like one (`torch-gpu`, `torchgpu`). */
  private affixed(name: string): string | null {
    const words = name.split('-');
    const rest = words.filter(w => !AFFIXES.has(w.replace(/\d+$/, '')));
    const candidates =
      rest.length > 0 && rest.length < words.length ? [rest.join('-')] : [];
    const glued = name.replace(/\d+$/, '');
    for (const affix of GLUED_AFFIXES) {
      if (glued.endsWith(affix)) {
        candidates.push(glued.slice(0, -affix.length));
      }
    }
    for (const candidate of candidates) {
      const shape = skeleton(candidate);
      const target = this.skeletons.get(shape);
      if (shape.length >= MIN_LENGTH && target !== undefined) {
        return target;
      }
    }
    return null;
  }
}
