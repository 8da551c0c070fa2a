/**
 * Code a Python started without Warden's guard would run, read before it starts (issue 20;
 * red team 10 R10-10): the static side's port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/guardless.py` `dynamic_code`, on the Lezer tree.
 * Such a child decides none of its own installs or process starts, so code that runs code
 * Warden cannot read (exec/eval/compile/__import__, importlib, runpy, pickle, getattr with a
 * computed name, a process started with computed arguments, a name reached through an import
 * that schema/guardless-calls.json does not allow: R12-7) is refused; code that does not parse
 * is too. The lists below are the kernel's; keep them equal.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import callsTable from '../../schema/guardless-calls.json';
import { decodeString } from './pystring';

// dunder attributes ordinary code uses; any other reaches objects the reading cannot follow
const PLAIN_DUNDERS = new Set(
  `__name__ __file__ __doc__ __version__ __all__ __init__ __main__ __enter__ __exit__
  __qualname__ __module__ __class__ __len__ __str__ __repr__ __pycache__`.split(
    /\s+/
  )
);
// calls that run code given as data (builtins, and the constructors of code and functions)
const CODE_RUNNERS = new Set([
  'exec',
  'eval',
  'compile',
  '__import__',
  'breakpoint',
  'execfile',
  'types.CodeType',
  'types.FunctionType',
  'types.LambdaType',
  'help' // pydoc's pager: $MANPAGER/$PAGER (red team 14 R14-29)
]);
// modules whose use runs code given as data: their import is enough (multiprocessing: a
// spawned child runs what its parent pickled to it)
const CODE_MODULES = new Set(
  `importlib runpy pickle _pickle marshal ctypes _ctypes cffi code codeop builtins __builtin__
  multiprocessing
  pdb bdb zipimport pkgutil dill cloudpickle joblib gc imp shelve timeit cProfile profile trace
  pydoc`.split(/\s+/)
);
// standard-library modules that start a program named by the environment (red team 14
// R14-29; the kernel's _COMMAND_MODULES lists what each runs): refused on import alone
const COMMAND_MODULES = new Set(['webbrowser', 'antigravity', 'mailcap']);
/**
 * Standard-library modules whose `python -m` command line starts a program named by the
 * environment or found on PATH (R14-29, the kernel's `_STDLIB_STARTERS`): `-m webbrowser`
 * runs $BROWSER, `-m platform` uname, `-m ctypes.util` gcc and ldconfig. Only the reason
 * told: the decision is `run_modules`' allow list.
 */
const STDLIB_STARTERS = new Set([
  'webbrowser',
  'antigravity',
  'mailcap',
  'platform',
  'uuid',
  'ctypes'
]);
const RUN_MODULES: Record<string, string[]> = callsTable.run_modules;
const STDLIB_MODULES = new Set<string>(callsTable.stdlib_modules);

/**
 * Why `python -m module args` may run what Warden did not read ('' when it runs nothing named
 * in its arguments): for a standard-library module, an allow list (schema/guardless-calls.json's
 * `run_modules`, red team 17 R17-7: a deny list of runners missed `-m smtpd -c MOD.CLASS`). An
 * option the table refuses counts by any prefix of it (argparse takes `--cg` for `--cgi`). A
 * module outside the standard library is read by the kernel (the static side sees no files).
 */
export function runModuleProblem(module: string, args: string[]): string {
  const top = module.split('.')[0];
  if (STDLIB_STARTERS.has(top)) {
    return `python -m ${module} starts a program its environment or PATH names`;
  }
  if (!STDLIB_MODULES.has(top)) {
    return '';
  }
  const refusedOptions = own(RUN_MODULES, module);
  if (refusedOptions === undefined) {
    return `python -m ${module} is a standard-library module whose command line Warden does not know to run nothing named in its arguments (it may import or run what they name)`;
  }
  for (const word of args) {
    if (word === '--') {
      break;
    }
    const option = word.split('=')[0];
    const refused = refusedOptions.find(
      o => option.length > 2 && o.startsWith(option)
    );
    if (refused) {
      return `python -m ${module} ${refused} runs what Warden does not read`;
    }
  }
  return '';
}

/** The first environment variable that names a module the standard library imports from a
 * guardless child's path (red team 17 R17-2, the kernel's `import_variable`): sysconfig's
 * `_PYTHON_SYSCONFIGDATA_NAME`, even under -I. */
export function importVariable(env: Record<string, string>): string {
  return (
    callsTable.import_variables.find((name: string) => !!own(env, name)) ?? ''
  );
}

const LOADED_AT_START = new Set<string>(callsTable.loaded_at_start);
const LOADED_BY_SITE = new Set<string>(callsTable.loaded_by_site);

/** The first module `code` imports that its Python has not loaded before the code runs
 * (`noSite`: started with -S) and that is not one of `early` (imported before any write);
 * '' when none. A file written before it imports may stand in for such a module (R14-1,
 * R17-13). */
export function importsBeyondStart(
  code: string,
  noSite: boolean,
  early: Set<string> = new Set()
): string {
  for (const dotted of modulesNamed(code)) {
    const top = dotted.split('.')[0];
    const loaded =
      LOADED_AT_START.has(top) || (!noSite && LOADED_BY_SITE.has(top));
    if (top && !dotted.startsWith('.') && !loaded && !early.has(top)) {
      return top;
    }
  }
  return '';
}

/** The first module `code` imports that is no standard-library module ('' when none): where a
 * Python without the guard finds it (a file of its folder or its PYTHONPATH, whose code then
 * runs unguarded; an installed package; nowhere, so the code may write it) is the kernel's to
 * read from the files (its `_place`), which the static side does not see (red team 18 R18-8). */
export function importBeyondStdlib(code: string): string {
  for (const dotted of modulesNamed(code)) {
    const top = dotted.split('.')[0];
    if (!dotted.startsWith('.') && !STDLIB_MODULES.has(top)) {
      return top || dotted;
    }
  }
  return '';
}

/** Every module `code`'s imports name, dotted, in the order `importedNames` meets them. */
function modulesNamed(code: string): string[] {
  const tree = parser.parse(code);
  const named: string[] = [];
  importedNames(
    tree,
    n => code.slice(n.from, n.to),
    dotted => named.push(dotted),
    () => undefined
  );
  return named;
}

const PROCESS_STARTERS = [
  'os.system',
  'os.popen',
  'os.exec',
  'os.spawn',
  'os.posix_spawn',
  'os.fork',
  'subprocess.',
  'pty.spawn',
  'asyncio.create_subprocess',
  'platform.popen',
  'commands.'
];
/** A table's own entry (never one an object inherits: `constructor`). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key)
    ? table[key]
    : undefined;
}
// what guardless code may reach through its imports (red team 12 R12-7): the allow list of
// schema/guardless-calls.json, shared with the kernel. `pub` (the inert entries, red team 13
// R13-3): a name under an entry only when every part below it is public, so `shutil` covers
// `shutil.copy`, not `shutil._os` or `typing._eval_type`
const listed = (name: string, entries: string[], pub = false) =>
  entries.some(e => {
    if (e.endsWith('*')) {
      return name.startsWith(e.slice(0, -1));
    }
    if (name === e) {
      return true;
    }
    if (!name.startsWith(`${e}.`)) {
      return false;
    }
    return (
      !pub ||
      !name
        .slice(e.length + 1)
        .split('.')
        .some(priv)
    );
  });
const priv = (part: string) =>
  part.startsWith('_') && !PLAIN_DUNDERS.has(part) && !DATA_DUNDERS.has(part);
const inert = (name: string) =>
  listed(name, callsTable.inert, true) && !listed(name, callsTable.not_inert);
const ALIASES: Record<string, string> = callsTable.aliases;
// module -> {attribute: the module it holds}, generated by
// scripts/guardless-module-attributes.py from the real modules (R13-3)
const MODULES: Record<string, Record<string, string>> = callsTable.modules;
const VALUE_ATTRIBUTES = new Set<string>(callsTable.value_attributes);
/** `name` with every attribute that holds a module read as that module (R13-3):
 * `shutil.os.system` -> `os.system`, `typing.sys.modules` -> `sys.modules`. */
const resolve = (name: string) => {
  let parts = name.split('.');
  for (let round = 0; round < parts.length * 4; round++) {
    let changed = false;
    for (let depth = parts.length - 1; depth > 0; depth--) {
      const module = parts.slice(0, depth).join('.');
      const held = own(MODULES, module) ? own(MODULES[module], parts[depth]) : undefined; // prettier-ignore
      if (held !== undefined) {
        parts = [...held.split('.'), ...parts.slice(depth + 1)];
        changed = true;
        break;
      }
    }
    if (!changed) {
      break;
    }
  }
  return parts.join('.');
};
const isModule = (name: string) => own(MODULES, name) !== undefined;
const canonical = (name: string) => {
  const dot = name.indexOf('.');
  const root = dot < 0 ? name : name.slice(0, dot);
  const alias = own(ALIASES, root);
  return resolve(alias ? alias + (dot < 0 ? '' : name.slice(dot)) : name);
};
const DATA_DUNDERS = new Set([
  '__version__',
  '__file__',
  '__name__',
  '__doc__',
  '__all__'
]);
const unknownUse = (name: string) =>
  `it uses ${name}, which Warden does not know to start no process (a guardless Python may use the standard library's plain modules only)`;
const NAME_READERS = new Set(['getattr', 'setattr', 'delattr', 'hasattr']);
// builtins that return a namespace as a dict, read by computed keys (R13-4)
const NAMESPACE_READERS = new Set(['globals', 'locals', 'vars', 'dir']);
// the words of a string that name a dunder or a frame attribute (`"0.__globals__"`)
const STRING_DUNDER = /__[A-Za-z0-9]\w*?__/g;
const STRING_WORD = /\b(?:f|tb|gi|cr|ag)_[a-z]+\b/g;
const LITERALS = new Set([
  'String',
  'Number',
  'Boolean',
  'None',
  'ContinuedString'
]);
const CONTAINERS = new Set([
  'ArrayExpression',
  'TupleExpression',
  'DictionaryExpression',
  'SetExpression',
  'ParenthesizedExpression'
]);
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':']);

const starts = (name: string) => PROCESS_STARTERS.some(p => name.startsWith(p));
const kids = (node: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    out.push(c);
  }
  return out;
};

/** Why `code` runs code Warden cannot read ('' when it does not). */
export function dynamicCode(code: string): string {
  const tree = parser.parse(code);
  let broken = false;
  tree.iterate({
    enter: n => {
      if (n.type.isError) {
        broken = true;
      }
    }
  });
  if (broken) {
    return 'its code does not parse';
  }
  const text = (n: SyntaxNode) => code.slice(n.from, n.to);
  let found = '';
  const flag = (why: string) => {
    found = found || why;
  };
  const moduleUse = (dotted: string) => {
    const top = dotted.replace(/^\.+/, '').split('.')[0];
    if (CODE_MODULES.has(top)) {
      flag(`it uses ${dotted}, which runs code Warden does not read`);
    } else if (COMMAND_MODULES.has(top)) {
      flag(
        `it imports ${dotted}, which starts a program its environment names`
      );
    }
  };
  // imports first: a name's meaning does not depend on where in the file it is used
  const names = importedNames(tree, text, moduleUse, module =>
    flag(`it imports every name of ${module}`)
  );
  const dottedName = dottedNames(names, text);
  // whether a name chain starts at a name an import bound
  const imported = (n: SyntaxNode): boolean => {
    let base: SyntaxNode | null = n;
    while (base && base.name === 'MemberExpression') {
      base = base.firstChild;
    }
    return !!base && base.name === 'VariableName' && names.has(text(base));
  };
  // whether an attribute is part of a dotted chain from an imported name (`os.path.join`,
  // not `sys.modules['os'].system`, whose `.system` is a value's: R13-4)
  const importedChain = (n: SyntaxNode): boolean =>
    isImportedChain(n, names, text);
  const unknown = (n: SyntaxNode, name: string): boolean => {
    if (!name || DATA_DUNDERS.has(name.slice(name.lastIndexOf('.') + 1))) {
      return false;
    }
    return imported(n) && !inert(name);
  };
  const literal = (n: SyntaxNode): boolean => {
    if (LITERALS.has(n.name)) {
      return true;
    }
    if (n.name === 'UnaryExpression') {
      return kids(n).slice(1).every(literal);
    }
    if (CONTAINERS.has(n.name)) {
      return kids(n)
        .filter(c => !PUNCTUATION.has(c.name))
        .every(literal);
    }
    return false;
  };
  // positional values, and every value (keywords' too); `*a`/`**k` spread unknown ones
  const callArguments = (argList: SyntaxNode | null) => {
    const all = argList
      ? kids(argList).filter(c => !PUNCTUATION.has(c.name))
      : [];
    const positional: SyntaxNode[] = [];
    const values: SyntaxNode[] = [];
    let spread = false;
    for (let i = 0; i < all.length; i++) {
      if (all[i].name === '**' || all[i].name === '*') {
        spread = true;
      } else if (all[i + 1]?.name === 'AssignOp') {
        values.push(all[i + 2]);
        i += 2;
      } else {
        positional.push(all[i]);
        values.push(all[i]);
      }
    }
    return { positional, values, spread };
  };
  const called = (n: SyntaxNode) =>
    n.parent?.name === 'CallExpression' && n.parent.firstChild?.from === n.from;
  const dunder = (word: string) => {
    if (
      word.startsWith('__') &&
      word.endsWith('__') &&
      !PLAIN_DUNDERS.has(word)
    ) {
      flag(`it reaches ${word}`);
    }
  };
  // an attribute of a value whose type Warden cannot tell (what a call returned, a local
  // variable): refused when the table denies its name (R13-4)
  const valueAttribute = (attr: string) => {
    if (VALUE_ATTRIBUTES.has(attr)) {
      flag(`it uses .${attr} of a value Warden cannot tell the type of`);
    }
  };
  // getattr(g, "__import__"), d["__builtins__"], Formatter().get_field("0.__globals__"): a
  // string that names what an attribute may not (R13-4)
  const hiddenNames = (value: string) => {
    for (const word of value.match(STRING_DUNDER) ?? []) {
      dunder(word);
    }
    for (const word of value.match(STRING_WORD) ?? []) {
      if (VALUE_ATTRIBUTES.has(word)) {
        flag(`it names ${word}`);
      }
    }
  };
  const docstring = (n: SyntaxNode) =>
    n.parent?.name === 'ExpressionStatement' &&
    n.parent.from === n.from &&
    n.parent.to === n.to;
  tree.iterate({
    enter: ref => {
      const n = ref.node;
      if (n.name === 'ImportStatement') {
        return false;
      }
      const parent = n.parent?.name ?? '';
      if (n.name === 'CallExpression') {
        const callee = n.firstChild!;
        const name = dottedName(callee);
        const { positional, values, spread } = callArguments(
          n.getChild('ArgList')
        );
        if (CODE_RUNNERS.has(name)) {
          flag(`it calls ${name}`);
        } else if (
          NAME_READERS.has(name) &&
          positional[1] &&
          !literal(positional[1])
        ) {
          flag(`it calls ${name} with a computed name`);
        } else if (
          NAME_READERS.has(name) &&
          positional[1] &&
          !imported(positional[0])
        ) {
          // `getattr(x, "get_loop")` is `x.get_loop` (R13-4)
          const attr = pyValue(positional[1], text);
          if (typeof attr === 'string') {
            dunder(attr);
            valueAttribute(attr);
          }
        } else if (starts(name)) {
          if (spread || !values.every(v => v && literal(v))) {
            flag(`it starts a process (${name}) with computed arguments`);
          }
        } else if (unknown(callee, name)) {
          flag(unknownUse(name));
        }
      }
      if (n.name === 'MemberExpression' && imported(n)) {
        const name = dottedName(n);
        if (name && listed(name, callsTable.not_inert)) {
          flag(`it uses ${name}`);
        }
      }
      if (n.name === 'MemberExpression' && !importedChain(n)) {
        const last = n.lastChild;
        const target =
          parent === 'AssignStatement' && n.nextSibling?.name === 'AssignOp';
        if (last?.name === 'PropertyName' && !target) {
          valueAttribute(text(last));
        }
      }
      if (
        (n.name === 'String' && parent !== 'ContinuedString') ||
        n.name === 'ContinuedString'
      ) {
        if (!docstring(n)) {
          const value = pyValue(n, text);
          hiddenNames(typeof value === 'string' ? value : text(n));
        }
      } else if (n.name === 'FormatString' && parent !== 'ContinuedString') {
        hiddenNames(text(n));
      }
      if (n.name === 'VariableName' || n.name === 'PropertyName') {
        const own = text(n);
        const declared =
          ['FunctionDefinition', 'ClassDefinition', 'ParamList'].includes(
            parent
          ) ||
          (parent === 'ArgList' && n.nextSibling?.name === 'AssignOp');
        if (!declared) {
          dunder(own);
        }
        if (
          n.name === 'VariableName' &&
          !declared &&
          NAMESPACE_READERS.has(own) &&
          !names.has(own)
        ) {
          // globals()["__builtins__"], vars(type(x))["sys" + "tem"]: a namespace read by keys
          // is a getattr by computed names (R13-4)
          flag(`it reads a namespace (${own})`);
        }
      }
      if (n.name === 'Decorator') {
        // `@dataclasses.dataclass`: a chain of names in the tree, judged as the dotted name
        // it is (the kernel reads it as an attribute or a call)
        const parts = kids(n).filter(c => c.name === 'VariableName');
        const root = parts[0] ? text(parts[0]) : '';
        if (names.has(root)) {
          const name = canonical(
            [names.get(root)!, ...parts.slice(1).map(text)].join('.')
          );
          if (CODE_RUNNERS.has(name) || starts(name)) {
            flag(`it passes ${name} around`);
          } else if (!inert(name)) {
            flag(unknownUse(name));
          }
        } else if (CODE_RUNNERS.has(root) || NAME_READERS.has(root)) {
          flag(`it passes ${root} around`);
        }
      }
      const outer =
        (n.name === 'VariableName' &&
          parent !== 'MemberExpression' &&
          parent !== 'Decorator') ||
        (n.name === 'MemberExpression' && parent !== 'MemberExpression');
      if (outer && !called(n)) {
        const name = dottedName(n);
        const target =
          parent === 'AssignStatement' && n.nextSibling?.name === 'AssignOp';
        const store = n.name === 'MemberExpression' && target;
        if (
          (CODE_RUNNERS.has(name) ||
            starts(name) ||
            (n.name === 'VariableName' && NAME_READERS.has(name))) &&
          !store
        ) {
          flag(`it passes ${name} around`);
        } else if (!target && unknown(n, name)) {
          flag(unknownUse(name));
        } else if (!target && name && imported(n) && isModule(name)) {
          // `t = shutil`, `[typing][0]`: its attributes would be read as a value's (R13-3)
          flag(`it passes the module ${name} around`);
        }
      }
      return undefined;
    }
  });
  if (!found) {
    found = environImports(tree, text, dottedName, names);
  }
  return found;
}

type Text = (n: SyntaxNode) => string;
type Tree = ReturnType<typeof parser.parse>;

/**
 * R17-2 (the kernel's `_environ_imports`): code that sets a variable naming a module the
 * standard library then imports (`os.environ['_PYTHON_SYSCONFIGDATA_NAME'] = 'x'` before
 * `sysconfig.get_paths()`), or changes os.environ by keys Warden cannot read.
 */
function environImports(
  tree: Tree,
  text: Text,
  dottedName: (n: SyntaxNode) => string,
  names: Map<string, string>
): string {
  let found = '';
  tree.iterate({
    enter: ref => {
      if (
        found ||
        (ref.name !== 'VariableName' && ref.name !== 'MemberExpression')
      ) {
        return;
      }
      const n = ref.node;
      if (dottedName(n) !== 'os.environ' || !changesEnviron(n, text)) {
        return;
      }
      if (readsWhole(n, text, names)) {
        return; // dict(os.environ), `for k in os.environ`
      }
      const keys = environKeys(n, text);
      const named = keys?.find(k => callsTable.import_variables.includes(k));
      if (keys === null) {
        found = 'it changes os.environ by keys Warden cannot read';
      } else if (named) {
        found = `it sets ${named}, which names a module the standard library imports`;
      }
    }
  });
  return found;
}

/** Whether a value is only read: iterated, or given to a builtin that writes nothing. */
function readsWhole(
  n: SyntaxNode,
  text: Text,
  names: Map<string, string>
): boolean {
  const parent = n.parent;
  if (
    (parent?.name === 'ForStatement' ||
      parent?.name.endsWith('ComprehensionExpression')) &&
    n.prevSibling &&
    text(n.prevSibling) === 'in'
  ) {
    return true;
  }
  const callee = parent?.name === 'ArgList' ? parent.parent?.firstChild : null;
  return (
    callee?.name === 'VariableName' &&
    callsTable.no_write_builtins.includes(text(callee)) &&
    !names.has(text(callee))
  );
}

/** The literal keys a change of os.environ sets; null when Warden cannot read them. */
function environKeys(n: SyntaxNode, text: Text): string[] | null {
  const parent = n.parent!;
  const last = parent.lastChild;
  if (last?.name === ']') {
    const key = kids(parent).find(
      c => c.from >= n.to && !PUNCTUATION.has(c.name)
    );
    const value = key ? pyValue(key, text) : undefined;
    return typeof value === 'string' ? [value] : null;
  }
  const call = parent.parent;
  if (
    call?.name !== 'CallExpression' ||
    call.firstChild?.from !== parent.from
  ) {
    return null;
  }
  const argList = call.getChild('ArgList');
  if (argList && kids(argList).some(c => c.name === '*' || c.name === '**')) {
    return null;
  }
  const args = argumentsOf(argList, text);
  const keys = [...args.keywords.keys()];
  const first = args.positional[0];
  if (first?.name === 'DictionaryExpression') {
    const parts = kids(first).filter(c => !['{', '}', ','].includes(c.name));
    for (let i = 0; i < parts.length; i += 3) {
      const key = pyValue(parts[i], text);
      if (typeof key !== 'string' || parts[i + 1]?.name !== ':') {
        return null;
      }
      keys.push(key);
    }
  } else if (first) {
    const key = pyValue(first, text);
    const attr = last ? text(last) : '';
    if (typeof key !== 'string' || !['setdefault', 'pop'].includes(attr)) {
      return null;
    }
    keys.push(key);
  }
  return keys;
}

/** Whether an attribute is part of a dotted chain of attribute names from an imported name
 * (`os.path.join`; not `x[0].y` or `sys.modules['os'].system`, whose last name is a value's). */
function isImportedChain(
  n: SyntaxNode,
  names: Map<string, string>,
  text: Text
): boolean {
  let base: SyntaxNode | null = n;
  while (base && base.name === 'MemberExpression') {
    if (base.lastChild?.name !== 'PropertyName') {
      return false;
    }
    base = base.firstChild;
  }
  return !!base && base.name === 'VariableName' && names.has(text(base));
}

/** Code's tree with its imports read (no module use or star import reported): what the
 * readers that follow names through imports start from. */
function parsedImports(code: string): {
  tree: Tree;
  text: Text;
  names: Map<string, string>;
  dotted: (n: SyntaxNode) => string;
} {
  const tree = parser.parse(code);
  const text = (n: SyntaxNode) => code.slice(n.from, n.to);
  const names = importedNames(
    tree,
    text,
    () => undefined,
    () => undefined
  );
  return { tree, text, names, dotted: dottedNames(names, text) };
}

/** Local name -> the dotted name it was imported as (`import os as o`, `from os import system
 * as s`); `moduleUse` is told every module named, `starImport` a `from os import *`. */
function importedNames(
  tree: Tree,
  text: Text,
  moduleUse: (dotted: string) => void,
  starImport: (module: string) => void
): Map<string, string> {
  const names = new Map<string, string>();
  tree.iterate({
    enter: ref => {
      if (ref.name !== 'ImportStatement') {
        return;
      }
      const words = kids(ref.node);
      const isFrom = words[0] && text(words[0]) === 'from';
      let i = 1;
      let module = '';
      if (isFrom) {
        while (i < words.length && text(words[i]) !== 'import') {
          module += text(words[i]);
          i++;
        }
        moduleUse(module);
        i++;
      }
      while (i < words.length) {
        let dotted = '';
        while (i < words.length && !['as', ','].includes(text(words[i]))) {
          dotted += text(words[i]);
          i++;
        }
        let local = '';
        if (text(words[i] ?? words[0]) === 'as' && i < words.length) {
          local = text(words[i + 1]);
          i += 2;
        }
        i++; // the comma
        if (!dotted) {
          continue;
        }
        if (isFrom) {
          if (dotted === '*' && !inert(canonical(module))) {
            starImport(module);
          }
          names.set(local || dotted, `${module}.${dotted}`);
          moduleUse(`${module}.${dotted}`);
        } else {
          moduleUse(dotted);
          const bound = local || dotted.split('.')[0];
          names.set(bound, local ? dotted : bound);
        }
      }
      return false;
    }
  });
  return names;
}

/** The dotted name an expression stands for ('' when it is not a plain name chain),
 * `posix.X` read as `os.X` (the same functions). */
function dottedNames(
  names: Map<string, string>,
  text: Text
): (n: SyntaxNode) => string {
  const chain = (n: SyntaxNode): string => {
    if (n.name === 'VariableName') {
      return names.get(text(n)) ?? text(n);
    }
    if (n.name === 'MemberExpression') {
      const parts = kids(n);
      const last = parts[parts.length - 1];
      if (parts.length === 3 && last.name === 'PropertyName') {
        const base = chain(parts[0]);
        return base ? `${base}.${text(last)}` : '';
      }
    }
    return '';
  };
  return (n: SyntaxNode) => canonical(chain(n));
}

// -- the literal process starts a guardless Python makes (red team 11 R11-15) --------------
// (the kernel's guardless.literal_starts; keep the lists equal)

// starts whose first argument is a shell line
const SHELL_STARTERS = new Set([
  'os.system',
  'os.popen',
  'platform.popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'asyncio.create_subprocess_shell',
  'commands.getoutput',
  'commands.getstatusoutput'
]);
// starts given (path, arg0, args...) or (path, [arg0, args...]): argv is path + args
const PATH_STARTERS = ['os.exec', 'os.spawn', 'os.posix_spawn'];
// calls that change files or the working folder: after one, the code may have made the very
// program or file a later start reads, which did not exist when Warden read the code
const FILE_CHANGERS = new Set(
  `os.symlink os.link os.rename os.renames os.replace os.chdir os.fchdir os.open os.write
  os.makedirs os.mkdir os.chmod os.truncate os.mkfifo shutil.copy shutil.copy2
  shutil.copyfile shutil.copytree shutil.move shutil.unpack_archive zipfile.ZipFile
  tarfile.open os.putenv os.unsetenv`.split(/\s+/)
);
// what code may do with os.environ without changing the environment a later start gets; any
// other use (a write, update, pop, an alias `e = os.environ`) changes it (red team 13)
const ENVIRON_READS = new Set(['get', 'copy', 'keys', 'values', 'items']);
const PATH_WRITERS = new Set(
  'symlink_to hardlink_to write_text write_bytes mkdir touch chmod link_to'.split(
    ' '
  )
);

/** A literal start: a shell line, or a program's argv. */
export type LiteralStart =
  { kind: 'shell'; line: string } | { kind: 'argv'; words: string[] };

/** A Python literal's value: lists and tuples as arrays; a dict or set as `OTHER`. */
type PyValue = string | number | boolean | null | PyValue[] | typeof OTHER;
const OTHER = Symbol('a dict or set');

/**
 * The process starts in code `dynamicCode` passed, and the first call that changes files
 * before or among them ('' for none). Called on code that parses and has only literal start
 * arguments; a string Warden cannot evaluate (`\N{...}`) makes the start `null`, which the
 * caller refuses.
 */
export function literalStarts(code: string): {
  starts: Array<LiteralStart | null>;
  changer: string;
} {
  const { tree, text, dotted: dottedName } = parsedImports(code);
  const found: Array<LiteralStart | null> = [];
  let changer = '';
  tree.iterate({
    enter: ref => {
      if (
        (ref.name === 'VariableName' || ref.name === 'MemberExpression') &&
        dottedName(ref.node) === 'os.environ' &&
        changesEnviron(ref.node, text)
      ) {
        changer = changer || 'os.environ';
      }
      if (ref.name !== 'CallExpression') {
        return;
      }
      const callee = ref.node.firstChild!;
      const name = dottedName(callee);
      const args = argumentsOf(ref.node.getChild('ArgList'), text);
      const last = callee.lastChild;
      const attr =
        callee.name === 'MemberExpression' && last?.name === 'PropertyName'
          ? text(last)
          : '';
      if (changesFiles(name, attr, args, text)) {
        changer = changer || name || attr;
      }
      if (starts(name)) {
        changer = changer || ownSetting(name, args, text);
        const start = startOf(name, args, text);
        if (start !== undefined) {
          found.push(start);
        }
      }
    }
  });
  return { starts: found, changer };
}

/** Whether a use of os.environ may change it (anything but a read of a key or a method of
 * ENVIRON_READS). */
function changesEnviron(n: SyntaxNode, text: Text): boolean {
  const parent = n.parent;
  if (
    parent?.name !== 'MemberExpression' ||
    parent.firstChild?.from !== n.from
  ) {
    return true;
  }
  if (parent.firstChild.to !== n.to) {
    return true;
  }
  const last = parent.lastChild;
  if (last?.name === 'PropertyName') {
    return !ENVIRON_READS.has(text(last));
  }
  // a subscript: a read unless it is written or deleted
  const outer = parent.parent?.name ?? '';
  const assigned = ['AssignOp', 'UpdateOp'].includes(
    parent.nextSibling?.name ?? ''
  );
  const packed = ['TupleExpression', 'ArrayExpression'].includes(outer);
  return (
    assigned ||
    packed ||
    outer === 'DeleteStatement' ||
    outer === 'ForStatement'
  );
}

/**
 * A start given its own working folder or environment (`cwd=`, `env=`, the env of
 * `os.execve`/`spawnve`/`posix_spawn`): it runs what Warden, reading it with this process's
 * folder and environment, did not read. An empty env (`{}`) is no variable at all.
 */
function ownSetting(name: string, args: Arguments, text: Text): string {
  const set = (n: SyntaxNode | undefined) =>
    !!n && n.name !== 'None' && text(n).replace(/\s/g, '') !== '{}';
  for (const key of ['cwd', 'env']) {
    if (set(args.keywords.get(key))) {
      return `${key}=`;
    }
  }
  const short = name.slice(name.lastIndexOf('.') + 1);
  let env: SyntaxNode | undefined;
  if (['posix_spawn', 'posix_spawnp'].includes(short)) {
    env = args.positional[2];
  } else if (/^(exec|spawn)/.test(short) && short.endsWith('e')) {
    env = args.positional[args.positional.length - 1];
  }
  return set(env) ? 'its env' : '';
}

interface Arguments {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

function argumentsOf(argList: SyntaxNode | null, text: Text): Arguments {
  const all = argList
    ? kids(argList).filter(c => !PUNCTUATION.has(c.name))
    : [];
  const out: Arguments = { positional: [], keywords: new Map() };
  for (let i = 0; i < all.length; i++) {
    if (all[i + 1]?.name === 'AssignOp') {
      out.keywords.set(text(all[i]), all[i + 2]);
      i += 2;
    } else {
      out.positional.push(all[i]);
    }
  }
  return out;
}

function changesFiles(
  name: string,
  attr: string,
  args: Arguments,
  text: Text
): boolean {
  if (FILE_CHANGERS.has(name) || PATH_WRITERS.has(attr)) {
    return true;
  }
  if (['open', 'io.open', 'codecs.open'].includes(name)) {
    const mode = args.keywords.get('mode') ?? args.positional[1];
    if (!mode) {
      return false;
    }
    const value = pyValue(mode, text);
    return typeof value !== 'string' || /[wax+]/.test(value);
  }
  return false;
}

/** (kind, command) of one literal start; undefined for a call that starts nothing itself
 * (`os.fork`: the child runs this code), null for one Warden cannot evaluate. */
function startOf(
  name: string,
  args: Arguments,
  text: Text
): LiteralStart | null | undefined {
  if (name === 'os.fork' || name === 'os.forkpty') {
    return undefined;
  }
  const values = args.positional.map(a => pyValue(a, text));
  const keyword = (k: string) => {
    const node = args.keywords.get(k);
    return node ? pyValue(node, text) : null;
  };
  if (
    [...values, ...[...args.keywords.keys()].map(keyword)].includes(undefined)
  ) {
    return null;
  }
  if (SHELL_STARTERS.has(name)) {
    return { kind: 'shell', line: values.length ? pyStr(values[0]) : '' };
  }
  if (PATH_STARTERS.some(p => name.startsWith(p))) {
    const words = strings(
      name.startsWith('os.spawn') ? values.slice(1) : values
    );
    return { kind: 'argv', words: [...words.slice(0, 1), ...words.slice(2)] };
  }
  if (name.startsWith('subprocess.')) {
    const first = values.length ? values[0] : keyword('args');
    const shell = truthy(keyword('shell'));
    if (Array.isArray(first)) {
      const words = strings(first);
      return shell
        ? { kind: 'shell', line: words[0] ?? '' }
        : { kind: 'argv', words };
    }
    return shell
      ? { kind: 'shell', line: pyStr(first) }
      : { kind: 'argv', words: [pyStr(first)] };
  }
  return { kind: 'argv', words: strings(values) }; // pty.spawn, asyncio.create_subprocess_exec
}

/** The words among literal arguments: lists flattened, strings kept, anything else left out. */
function strings(values: readonly (PyValue | undefined)[]): string[] {
  const words: string[] = [];
  for (const value of values) {
    if (Array.isArray(value)) {
      words.push(...strings(value));
    } else if (typeof value === 'string') {
      words.push(value);
    }
  }
  return words;
}

function truthy(value: PyValue | undefined): boolean {
  if (Array.isArray(value) || typeof value === 'string') {
    return value.length > 0;
  }
  return value === OTHER || Boolean(value);
}

/** Python's `str()` of a literal, as the kernel passes a non-list to the reading. */
function pyStr(value: PyValue | undefined): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return String(value);
}

/** A literal expression's value; undefined when Warden cannot evaluate it. */
function pyValue(n: SyntaxNode, text: Text): PyValue | undefined {
  switch (n.name) {
    case 'String':
      return pyString(text(n));
    case 'ContinuedString': {
      const parts = kids(n).map(c => pyString(text(c)));
      return parts.includes(undefined) ? undefined : parts.join('');
    }
    case 'Number': {
      const number = Number(text(n).replace(/_/g, ''));
      return Number.isNaN(number) ? 1 : number; // 1j, 0o7: some number
    }
    case 'Boolean':
      return text(n) === 'True';
    case 'None':
      return null;
    case 'UnaryExpression': {
      const value = pyValue(kids(n)[1], text);
      return typeof value === 'number' ? -value : value;
    }
    case 'ParenthesizedExpression':
      return pyValue(kids(n).filter(c => !PUNCTUATION.has(c.name))[0], text);
    case 'ArrayExpression':
    case 'TupleExpression': {
      const items = kids(n)
        .filter(c => !PUNCTUATION.has(c.name))
        .map(c => pyValue(c, text));
      return items.includes(undefined) ? undefined : (items as PyValue[]);
    }
    case 'DictionaryExpression':
    case 'SetExpression':
      return OTHER;
    default:
      return undefined;
  }
}

/** A Python string literal's value (bytes read as their code points); undefined for one
 * Warden cannot decode (`'\\N{...}'` naming a character it does not know). */
function pyString(literal: string): string | undefined {
  const value = decodeString(literal);
  return typeof value === 'string' ? value : undefined;
}

// -- code that may write files (red team 14 R14-1, red team 17 R17-1) ------------------------
// (the kernel's guardless.may_write: an ALLOW list of what writes no file, same table)

const WRITES = {
  modules: callsTable.no_write_modules as string[],
  writes: callsTable.writes as string[],
  callables: new Set<string>(callsTable.no_write_callables),
  opens: callsTable.opens as Record<string, number>,
  builtins: new Set<string>(callsTable.no_write_builtins),
  methods: new Set<string>(callsTable.no_write_methods),
  twoArguments: new Set<string>(callsTable.methods_two_arguments),
  noArguments: new Set<string>(callsTable.methods_no_arguments),
  callers: callsTable.calls_its_arguments as string[]
};
// exception classes are builtins that write nothing
const EXCEPTION_NAME =
  /^[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Iteration)$/;
const noWriteBuiltin = (name: string) =>
  WRITES.builtins.has(name) || EXCEPTION_NAME.test(name);

type Kind = 'import' | 'def' | 'value' | 'builtin' | 'mixed';

/** Whether a name node stands where the code binds it (an assignment's target, a parameter,
 * a loop, `with` or `except` target, `global`, a walrus, `del`). */
function bindsHere(n: SyntaxNode, text: Text): boolean {
  let target: SyntaxNode = n;
  while (
    target.parent &&
    ['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression'].includes(
      target.parent.name
    )
  ) {
    target = target.parent; // `a, b = ...`
  }
  const parent = target.parent;
  if (!parent) {
    return false;
  }
  const prev = target.prevSibling;
  const after = (what: string): boolean => {
    for (let s = target.nextSibling; s; s = s.nextSibling) {
      if (text(s) === what) {
        return true;
      }
    }
    return false;
  };
  switch (parent.name) {
    case 'AssignStatement':
      return after('=') || target.nextSibling?.name === 'AssignOp';
    case 'UpdateStatement':
    case 'NamedExpression':
      return parent.firstChild?.from === target.from;
    case 'ParamList':
      return prev?.name !== 'AssignOp';
    case 'ScopeStatement':
    case 'DeleteStatement':
      return true;
    case 'WithStatement':
    case 'TryStatement':
      return !!prev && text(prev) === 'as';
    default:
      if (
        parent.name === 'ForStatement' ||
        parent.name.endsWith('ComprehensionExpression')
      ) {
        // between `for` and `in`
        let s = target.prevSibling;
        while (s && text(s) !== 'for' && text(s) !== 'in') {
          s = s.prevSibling;
        }
        return !!s && text(s) === 'for';
      }
      return false;
  }
}

/**
 * The first use in `code` that may create, replace or move a file, or that Warden does not
 * know to write none ('' for none): the kernel's `guardless.may_write`. Every call must be one
 * schema/guardless-calls.json knows writes nothing; a use Warden cannot follow (a call of a
 * value, a computed callee, a rebound import, a change to an imported module) counts as a
 * write. Called on code that parses.
 */
export function mayWrite(code: string): string {
  const { tree, text, names, dotted } = parsedImports(code);
  const bindings = new Map<string, Set<string>>();
  const bind = (name: string, kind: string) => {
    const kinds = bindings.get(name) ?? new Set<string>();
    kinds.add(kind);
    bindings.set(name, kinds);
  };
  for (const name of names.keys()) {
    bind(name, 'import');
  }
  tree.iterate({
    enter: ref => {
      if (ref.name === 'ImportStatement') {
        return false;
      }
      const n = ref.node;
      if (n.name !== 'VariableName') {
        return undefined;
      }
      const parent = n.parent?.name ?? '';
      if (
        ['FunctionDefinition', 'ClassDefinition'].includes(parent) &&
        n.prevSibling &&
        ['def', 'class'].includes(text(n.prevSibling))
      ) {
        bind(text(n), 'def');
      } else if (bindsHere(n, text)) {
        bind(text(n), 'value');
      }
      return undefined;
    }
  });
  const rootKind = (n: SyntaxNode): Kind => {
    let base: SyntaxNode | null = n;
    while (base && base.name === 'MemberExpression') {
      base = base.firstChild;
    }
    if (!base || base.name !== 'VariableName') {
      return 'value';
    }
    const kinds = bindings.get(text(base));
    if (!kinds || kinds.size === 0) {
      return 'builtin';
    }
    return kinds.size === 1 ? ([...kinds][0] as Kind) : 'mixed';
  };
  // a chain of attribute names from an imported name (`os.path.join`, not `x[0].y`)
  const importedChain = (n: SyntaxNode): boolean =>
    isImportedChain(n, names, text);
  const spread = (args: SyntaxNode | null) =>
    !!args && kids(args).some(c => c.name === '*' || c.name === '**');
  const opens = (call: SyntaxNode, name: string, where: number): string => {
    const argList = call.getChild('ArgList');
    if (spread(argList)) {
      return name; // open(*a, **k): a mode Warden cannot read
    }
    const args = argumentsOf(argList, text);
    const mode = args.keywords.get('mode') ?? args.positional[where];
    const value = mode ? pyValue(mode, text) : 'r';
    return typeof value !== 'string' || /[wax+]/.test(value) ? name : '';
  };
  const methodWritesNothing = (attr: string, call: SyntaxNode | null) => {
    if (
      !WRITES.methods.has(attr) &&
      !WRITES.twoArguments.has(attr) &&
      !WRITES.noArguments.has(attr)
    ) {
      return false;
    }
    if (call === null) {
      return WRITES.methods.has(attr);
    }
    const argList = call.getChild('ArgList');
    if (spread(argList)) {
      return false;
    }
    const args = argumentsOf(argList, text);
    if (WRITES.twoArguments.has(attr)) {
      return args.positional.length >= 2; // str.replace(a, b), not Path.replace(target)
    }
    if (WRITES.noArguments.has(attr)) {
      return args.positional.length + args.keywords.size === 0; // dict.copy(), not Path.copy(t)
    }
    return true;
  };
  const importedName = (name: string, call: SyntaxNode | null): string => {
    if (listed(name, WRITES.modules, true) && !listed(name, WRITES.writes)) {
      return '';
    }
    if (WRITES.callables.has(name)) {
      return '';
    }
    const dot = name.lastIndexOf('.');
    const owner = name.slice(0, Math.max(dot, 0));
    const attr = name.slice(dot + 1);
    if (dot > 0 && WRITES.callables.has(owner)) {
      return methodWritesNothing(attr, call) ? '' : name; // pathlib.Path.write_text
    }
    return name;
  };
  // a call that calls what it is given (`map(p.write_text, texts)`): a value's method given
  // to it must write nothing
  const callers = (call: SyntaxNode, name: string): string => {
    const short = name.slice(name.lastIndexOf('.') + 1);
    if (!listed(name, WRITES.callers) && !WRITES.callers.includes(short)) {
      return '';
    }
    const args = argumentsOf(call.getChild('ArgList'), text);
    for (const value of [...args.positional, ...args.keywords.values()]) {
      if (
        value?.name === 'MemberExpression' &&
        rootKind(value) !== 'import' &&
        value.lastChild?.name === 'PropertyName' &&
        !WRITES.methods.has(text(value.lastChild))
      ) {
        return `${name}(.${text(value.lastChild)})`;
      }
    }
    return '';
  };
  const importedCall = (call: SyntaxNode, name: string): string => {
    if (!name) {
      return 'a name Warden cannot follow';
    }
    if (starts(name)) {
      return name; // the program it starts may write (R17-1: cp p.txt json.py)
    }
    if (own(WRITES.opens, name) !== undefined) {
      return opens(call, name, WRITES.opens[name]);
    }
    if (name === 'logging.basicConfig') {
      // writes a file only when given one (R17-12)
      const args = argumentsOf(call.getChild('ArgList'), text);
      const given =
        args.keywords.has('filename') || args.keywords.has('handlers');
      return given || spread(call.getChild('ArgList')) ? name : '';
    }
    return importedName(name, call) || callers(call, name);
  };
  const judgeCall = (call: SyntaxNode): string => {
    const callee = call.firstChild!;
    const kind = rootKind(callee);
    if (kind === 'mixed') {
      return `${text(callee).slice(0, 40)}(): a name bound more than one way`;
    }
    if (callee.name === 'VariableName') {
      const name = text(callee);
      if (kind === 'import') {
        return importedCall(call, dotted(callee));
      }
      if (kind === 'def') {
        return ''; // the code's own function or class: its body is read with it
      }
      if (kind === 'value') {
        return `${name}(): a value Warden cannot follow`;
      }
      if (own(WRITES.opens, name) !== undefined) {
        return opens(call, name, WRITES.opens[name]);
      }
      return noWriteBuiltin(name) ? callers(call, name) : name;
    }
    if (callee.name === 'MemberExpression') {
      if (kind === 'import' && importedChain(callee)) {
        return importedCall(call, dotted(callee));
      }
      const last = callee.lastChild;
      if (last?.name !== 'PropertyName') {
        return 'a computed call';
      }
      const attr = text(last);
      if (attr === 'open') {
        return opens(call, '.open', 0); // Path(p).open(mode), the mode first
      }
      return methodWritesNothing(attr, call) ? callers(call, attr) : `.${attr}`;
    }
    return 'a computed call';
  };
  // `sys.path` read (printed, iterated, indexed) is data; bound or given to the code's own
  // function it may be changed (`p = sys.path; p.insert(0, d)`)
  const sysPath = (n: SyntaxNode): string => {
    const parent = n.parent;
    if (parent?.name === 'ArgList') {
      const callee = parent.parent?.firstChild;
      if (callee?.name === 'VariableName' && rootKind(callee) === 'builtin') {
        return noWriteBuiltin(text(callee)) ? '' : 'sys.path';
      }
      if (
        callee?.name === 'MemberExpression' &&
        rootKind(callee) !== 'import'
      ) {
        return ''; // `":".join(sys.path)`
      }
    }
    if (
      (parent?.name === 'ForStatement' ||
        parent?.name.endsWith('ComprehensionExpression')) &&
      n.prevSibling &&
      text(n.prevSibling) === 'in'
    ) {
      return '';
    }
    if (
      parent?.name === 'MemberExpression' &&
      parent.firstChild?.from === n.from
    ) {
      return parent.lastChild?.name === ']' && !bindsHere(parent, text)
        ? ''
        : 'sys.path';
    }
    return 'sys.path';
  };
  const reference = (n: SyntaxNode): string => {
    const kind = rootKind(n);
    if (kind === 'mixed') {
      return `${text(n).slice(0, 40)}: a name bound more than one way`;
    }
    if (kind === 'import' && importedChain(n)) {
      const name = dotted(n);
      if (name === 'sys.path') {
        return sysPath(n);
      }
      if (starts(name) || own(WRITES.opens, name) !== undefined) {
        return `${name} used as a value`;
      }
      return name ? importedName(name, null) : 'a name Warden cannot follow';
    }
    if (kind === 'builtin' && n.name === 'VariableName') {
      const name = text(n);
      return noWriteBuiltin(name) || DATA_DUNDERS.has(name)
        ? ''
        : `${name} used as a value`;
    }
    return '';
  };
  // `@functools.lru_cache(maxsize=1)`, `@dataclasses.dataclass`: the dotted name, called when
  // given arguments (a chain of names, not a MemberExpression, in the tree)
  const decorator = (n: SyntaxNode): string => {
    const parts = kids(n)
      .filter(c => c.name === 'VariableName')
      .map(c => text(c));
    const root = parts[0] ?? '';
    const kinds = bindings.get(root);
    if (!kinds || kinds.size !== 1 || !kinds.has('import')) {
      return kinds && kinds.size > 1
        ? `@${root}: a name bound more than one way`
        : '';
    }
    const name = canonical(
      [names.get(root) ?? root, ...parts.slice(1)].join('.')
    );
    if (starts(name) || own(WRITES.opens, name) !== undefined) {
      return `${name} used as a value`;
    }
    return importedName(name, null);
  };
  let found = '';
  tree.iterate({
    enter: ref => ref.name !== 'ImportStatement' && !found,
    leave: ref => {
      if (found) {
        return;
      }
      const n = ref.node;
      const parent = n.parent;
      if (n.name === 'CallExpression') {
        found = judgeCall(n);
        return;
      }
      if (n.name === 'Decorator') {
        found = decorator(n);
        return;
      }
      if (n.name !== 'VariableName' && n.name !== 'MemberExpression') {
        return;
      }
      if (parent?.name === 'Decorator') {
        return; // judged as the decorator's dotted name
      }
      if (
        parent?.name === 'MemberExpression' &&
        parent.firstChild?.from === n.from &&
        parent.firstChild.to === n.to
      ) {
        return; // judged as the longer name (or the subscript's value)
      }
      if (
        parent?.name === 'CallExpression' &&
        parent.firstChild?.from === n.from
      ) {
        return; // judged as the call
      }
      const declared =
        (['FunctionDefinition', 'ClassDefinition'].includes(
          parent?.name ?? ''
        ) &&
          !!n.prevSibling &&
          ['def', 'class'].includes(text(n.prevSibling))) ||
        (parent?.name === 'ArgList' && n.nextSibling?.name === 'AssignOp');
      if (declared) {
        return;
      }
      if (bindsHere(n, text)) {
        // `json.dumps = open`, `sys.path[0:0] = [d]`: a change to a module the code's other
        // calls are judged by
        let base: SyntaxNode = n;
        while (
          base.name === 'MemberExpression' &&
          base.lastChild?.name === ']'
        ) {
          base = base.firstChild!;
        }
        if (
          n.name === 'MemberExpression' &&
          rootKind(n) === 'import' &&
          dotted(base) !== 'os.environ'
        ) {
          found = `a change to ${dotted(base) || 'an imported name'}`;
        }
        return;
      }
      found = reference(n);
    }
  });
  return found;
}

/**
 * The top names the code's FIRST statements import, before any other statement runs (a
 * docstring aside) and before an import of a module that may be local (not the standard
 * library's, whose code runs there): no write of the code precedes them. The kernel's
 * `guardless.leading_imports` (which knows the local modules).
 */
export function leadingImports(code: string): Set<string> {
  const tree = parser.parse(code);
  const text = (n: SyntaxNode) => code.slice(n.from, n.to);
  const found = new Set<string>();
  // `import a; import b` is one StatementGroup: its statements in turn
  const statements = kids(tree.topNode).flatMap(s =>
    s.name === 'StatementGroup' ? kids(s).filter(c => c.name !== ';') : [s]
  );
  for (const s of statements) {
    if (
      s.name === 'ExpressionStatement' &&
      ['String', 'ContinuedString'].includes(s.firstChild?.name ?? '')
    ) {
      continue;
    }
    if (s.name !== 'ImportStatement') {
      break;
    }
    const tops: string[] = [];
    const words = kids(s);
    const isFrom = text(words[0]) === 'from';
    if (isFrom) {
      if (words[1] && words[1].name === 'VariableName') {
        tops.push(text(words[1]));
      }
    } else {
      let first = true;
      for (const w of words.slice(1)) {
        if (first && w.name === 'VariableName') {
          tops.push(text(w));
        }
        first = text(w) === ',';
      }
    }
    tops.forEach(t => found.add(t));
    if (tops.length === 0 || tops.some(t => !STDLIB_MODULES.has(t))) {
      break; // a module that may be local: its code runs here
    }
  }
  return found;
}
