import { relevantOrNull, type ScopeView } from './relevance';
import {
  folderAndParents,
  isFactKey,
  WRITTEN_DIR,
  writtenFolderKey
} from './values';

/**
 * Name resolution state. A scope maps a name to the dotted path Python would bind it to
 * (`t` -> `torch`, `L` -> `torch.load`), or to null when the name is bound to something the
 * analyzer cannot follow (a user's own `def load`). The module scope of a notebook is carried
 * from one cell to the next: cells are analysed in run order, each starting from the scope
 * its predecessor left behind. Only paths that can lead to a finding are kept (see
 * relevance.ts); a name bound to anything else is unknown, so statements the relevance
 * filter skips cannot change a scope.
 */

/** The module-level bindings after a cell; opaque to callers, pass it to the next cell. */
export interface AnalyzerScope {
  readonly bindings: ReadonlyMap<string, string | null>;
}

export const EMPTY_SCOPE: AnalyzerScope = { bindings: new Map() };

/**
 * Whether two scopes bind the same names to the same paths. Scopes hold only what differs
 * from the implicit names and only paths the rules follow, so most edits to a cell leave its
 * scope equal, and the cells after it need no new analysis.
 */
export function sameScope(a: AnalyzerScope, b: AnalyzerScope): boolean {
  if (a === b) {
    return true;
  }
  if (a.bindings.size !== b.bindings.size) {
    return false;
  }
  for (const [name, path] of a.bindings) {
    if (b.bindings.get(name) !== path || !b.bindings.has(name)) {
      return false;
    }
  }
  return true;
}

/**
 * Names that resolve without an import: builtins, and modules under the names notebooks use
 * for them by convention, for cells whose import ran in a cell the analyzer has not seen.
 */
const IMPLICIT_NAMES = new Map<string, string>([
  ['__import__', '__import__'],
  ['getattr', 'getattr'],
  ['exec', 'exec'],
  ['eval', 'eval'],
  ['torch', 'torch'],
  ['pickle', 'pickle'],
  ['_pickle', '_pickle'],
  ['cPickle', 'cPickle'],
  ['dill', 'dill'],
  ['cloudpickle', 'cloudpickle'],
  ['jsonpickle', 'jsonpickle'],
  ['shelve', 'shelve'],
  ['marshal', 'marshal'],
  ['joblib', 'joblib'],
  ['numpy', 'numpy'],
  ['np', 'numpy'],
  ['pandas', 'pandas'],
  ['pd', 'pandas'],
  ['yaml', 'yaml'],
  ['keras', 'keras'],
  ['tensorflow', 'tensorflow'],
  ['tf', 'tensorflow'],
  ['importlib', 'importlib'],
  ['os', 'os'],
  ['sys', 'sys'],
  ['subprocess', 'subprocess'],
  ['get_ipython', 'get_ipython'] // a builtin in every IPython kernel
]);

export class Scope implements ScopeView {
  private readonly bindings: Map<string, string | null>;
  /**
   * Module-level bindings made during this cell that changed what a name meant
   * (`from pickle import loads`, `np = pickle`, `torch = None`), in the order they were
   * made: [name, what it means from then on]. Null in child scopes.
   */
  readonly changes: Array<[string, string | null]> | null;

  private constructor(
    private readonly parent: Scope | null,
    before: ReadonlyMap<string, string | null> | null
  ) {
    this.bindings = new Map(before ?? []);
    this.changes = parent === null ? [] : null;
  }

  static fromSnapshot(snapshot: AnalyzerScope): Scope {
    return new Scope(null, snapshot.bindings);
  }

  child(): Scope {
    return new Scope(this, null);
  }

  bind(name: string, path: string | null): void {
    const target = relevantOrNull(path);
    if (this.parent === null) {
      if (target !== this.resolve(name)) {
        this.changes?.push([name, target]);
      }
      // Module level: only what differs from the implicit meaning is stored, so equal
      // scopes have equal snapshots.
      if (target === (IMPLICIT_NAMES.get(name) ?? null)) {
        this.bindings.delete(name);
      } else {
        this.bindings.set(name, target);
      }
      return;
    }
    if (
      target === null &&
      !this.bindings.has(name) &&
      this.resolve(name) === null
    ) {
      // Binding an unknown value to a name that already means nothing changes nothing.
      return;
    }
    this.bindings.set(name, target);
  }

  /** The dotted path a name refers to, or null when unknown or not a module member. */
  resolve(name: string): string | null {
    const own = this.bindings.get(name);
    if (own !== undefined) {
      return own;
    }
    if (this.parent !== null) {
      return this.parent.resolve(name);
    }
    return IMPLICIT_NAMES.get(name) ?? null;
  }

  /** Names that resolve to a path at module level (the relevance filter looks for them). */
  *resolvedNames(): Iterable<string> {
    for (const name of IMPLICIT_NAMES.keys()) {
      if (!this.bindings.has(name)) {
        yield name;
      }
    }
    for (const [name, path] of this.bindings) {
      if (path !== null && !isFactKey(name)) {
        yield name;
      }
    }
  }

  /** Record a folder the code writes (save_pretrained, output_dir=...), for every later cell. */
  noteWrittenFolder(folder: string): void {
    if (folder.length === 0 || folder.length > 400) {
      return;
    }
    this.root().bindings.set(writtenFolderKey(folder), WRITTEN_DIR);
  }

  /** Whether `folder`, or a folder above it, was written earlier. */
  wasWritten(folder: string): boolean {
    const root = this.root();
    return folderAndParents(folder).some(
      f => root.bindings.get(writtenFolderKey(f)) === WRITTEN_DIR
    );
  }

  private root(): Scope {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: Scope = this;
    while (s.parent !== null) {
      s = s.parent;
    }
    return s;
  }

  snapshot(): AnalyzerScope {
    return { bindings: new Map(this.bindings) };
  }
}
