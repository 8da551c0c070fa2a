/**
 * Name resolution state. A scope maps a name to the dotted path Python would bind it to
 * (`t` -> `torch`, `L` -> `torch.load`), or to null when the name is bound to something the
 * analyzer cannot follow (a user's own `def load`). The module scope of a notebook is carried
 * from one cell to the next: cells are analysed in run order, each starting from the scope
 * its predecessor left behind.
 */

/** The module-level bindings after a cell; opaque to callers, pass it to the next cell. */
export interface AnalyzerScope {
  readonly bindings: ReadonlyMap<string, string | null>;
}

export const EMPTY_SCOPE: AnalyzerScope = { bindings: new Map() };

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
  ['subprocess', 'subprocess']
]);

export class Scope {
  private readonly bindings: Map<string, string | null>;

  constructor(
    private readonly parent: Scope | null,
    initial?: ReadonlyMap<string, string | null>
  ) {
    this.bindings = new Map(initial ?? []);
  }

  static fromSnapshot(snapshot: AnalyzerScope): Scope {
    return new Scope(null, snapshot.bindings);
  }

  child(): Scope {
    return new Scope(this);
  }

  bind(name: string, target: string | null): void {
    if (
      target === null &&
      !this.bindings.has(name) &&
      this.resolve(name) === null
    ) {
      // Binding an unknown value to a name that already means nothing changes nothing; not
      // storing it keeps the scope carried across a long notebook small.
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

  snapshot(): AnalyzerScope {
    return { bindings: new Map(this.bindings) };
  }
}
