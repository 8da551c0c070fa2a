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
  'types.LambdaType'
]);
// modules whose use runs code given as data: their import is enough (multiprocessing: a
// spawned child runs what its parent pickled to it)
const CODE_MODULES = new Set(
  `importlib runpy pickle _pickle marshal ctypes _ctypes cffi code codeop builtins __builtin__
  multiprocessing
  pdb bdb zipimport pkgutil dill cloudpickle joblib gc imp shelve timeit cProfile profile trace
  pydoc`.split(/\s+/)
);
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
// what guardless code may reach through its imports (red team 12 R12-7): the allow list of
// schema/guardless-calls.json, shared with the kernel
const listed = (name: string, entries: string[]) =>
  entries.some(e =>
    e.endsWith('*')
      ? name.startsWith(e.slice(0, -1))
      : name === e || name.startsWith(`${e}.`)
  );
const inert = (name: string) =>
  listed(name, callsTable.inert) && !listed(name, callsTable.not_inert);
const ALIASES: Record<string, string> = callsTable.aliases;
const canonical = (name: string) => {
  const dot = name.indexOf('.');
  const root = dot < 0 ? name : name.slice(0, dot);
  const alias = ALIASES[root];
  return alias ? alias + (dot < 0 ? '' : name.slice(dot)) : name;
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
const PLAIN_DUNDERS = new Set(
  `__name__ __file__ __doc__ __version__ __all__ __init__ __main__ __enter__ __exit__
  __qualname__ __module__ __class__ __len__ __str__ __repr__`.split(/\s+/)
);
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
  const names = new Map<string, string>();
  let found = '';
  const flag = (why: string) => {
    found = found || why;
  };
  const moduleUse = (dotted: string) => {
    if (CODE_MODULES.has(dotted.replace(/^\.+/, '').split('.')[0])) {
      flag(`it uses ${dotted}, which runs code Warden does not read`);
    }
  };
  // imports first: a name's meaning does not depend on where in the file it is used
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
            flag(`it imports every name of ${module}`);
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
  // `posix.X` is read as `os.X` (the same functions)
  const dottedName = (n: SyntaxNode): string => canonical(chain(n));
  // whether a name chain starts at a name an import bound
  const imported = (n: SyntaxNode): boolean => {
    let base: SyntaxNode | null = n;
    while (base && base.name === 'MemberExpression') {
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
      if (n.name === 'VariableName' || n.name === 'PropertyName') {
        const own = text(n);
        const declared =
          ['FunctionDefinition', 'ClassDefinition', 'ParamList'].includes(
            parent
          ) ||
          (parent === 'ArgList' && n.nextSibling?.name === 'AssignOp');
        if (
          !declared &&
          own.startsWith('__') &&
          own.endsWith('__') &&
          !PLAIN_DUNDERS.has(own)
        ) {
          flag(`it reaches ${own}`);
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
        }
      }
      return undefined;
    }
  });
  return found;
}
