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
 * (`noSite`: started with -S); '' when none, or when the code does not parse (refused later).
 * A file written before it starts may stand in for such a module (R17-13). */
export function importsBeyondStart(code: string, noSite: boolean): string {
  const tree = parser.parse(code);
  const text = (n: SyntaxNode) => code.slice(n.from, n.to);
  let found = '';
  importedNames(
    tree,
    text,
    dotted => {
      const top = dotted.split('.')[0];
      const loaded =
        LOADED_AT_START.has(top) || (!noSite && LOADED_BY_SITE.has(top));
      if (top && !dotted.startsWith('.') && !loaded) {
        found ||= top;
      }
    },
    () => undefined
  );
  return found;
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
  const importedChain = (n: SyntaxNode): boolean => {
    let base: SyntaxNode | null = n;
    while (base && base.name === 'MemberExpression') {
      if (base.lastChild?.name !== 'PropertyName') {
        return false;
      }
      base = base.firstChild;
    }
    return !!base && base.name === 'VariableName' && names.has(text(base));
  };
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
      const outer =
        (n.name === 'VariableName' && parent !== 'MemberExpression') ||
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
  return found;
}

type Text = (n: SyntaxNode) => string;
type Tree = ReturnType<typeof parser.parse>;

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
  const tree = parser.parse(code);
  const text = (n: SyntaxNode) => code.slice(n.from, n.to);
  const names = importedNames(
    tree,
    text,
    () => undefined,
    () => undefined
  );
  const dottedName = dottedNames(names, text);
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

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': ''
};

/** A Python string literal's value (prefixes r, b, u; bytes read as their code points);
 * undefined for an escape Warden does not evaluate (`\N{...}`). */
function pyString(literal: string): string | undefined {
  const prefix = /^[A-Za-z]*/.exec(literal)![0].toLowerCase();
  const rest = literal.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? 3 : 1;
  const body = rest.slice(quote, rest.length - quote);
  if (prefix.includes('r')) {
    return body;
  }
  const bytes = prefix.includes('b');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const next = body[i + 1] ?? '';
    let m: RegExpExecArray | null;
    if (next in ESCAPES) {
      out += ESCAPES[next];
      i++;
    } else if ((m = /^[0-7]{1,3}/.exec(body.slice(i + 1)))) {
      out += String.fromCodePoint(parseInt(m[0], 8));
      i += m[0].length;
    } else if ((m = /^x[0-9A-Fa-f]{2}/.exec(body.slice(i + 1)))) {
      out += String.fromCodePoint(parseInt(m[0].slice(1), 16));
      i += 3;
    } else if (
      !bytes &&
      (m = /^(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})/.exec(body.slice(i + 1)))
    ) {
      out += String.fromCodePoint(parseInt(m[0].slice(1), 16));
      i += m[0].length;
    } else if (!bytes && next === 'N') {
      return undefined;
    } else {
      out += '\\'; // an unknown escape is kept as written
    }
  }
  return out;
}
