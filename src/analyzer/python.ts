/**
 * The Python pass: walks the Lezer tree of one cell in source order, keeps name bindings
 * (imports, assignments, definitions) in a Scope the way Python binds them, and hands every
 * call, with its callee resolved to a dotted path, to the call rules.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { CodeStart } from './codestarts';
import type { RawFinding } from './types';
import { Scope } from './scope';
import {
  checkCall,
  FOLDER_KEYWORDS,
  FOLDER_WRITERS,
  mayMatch,
  RULE_KEYWORDS,
  STAR_EXPORTS,
  type RuleContext
} from './callrules';
import {
  children,
  constString,
  dictEntries,
  identifier,
  nextCode,
  parseArguments,
  text,
  type CallArguments
} from './syntax';
import { importBinding, isStringAssignment } from './relevance';
import {
  kwargsValue,
  mergeKwargs,
  OWN,
  readKwargs,
  readString,
  stringValue,
  UNKNOWN_KEYS,
  type KeywordFact
} from './values';
import { checkEnvAssignment } from './shell';
import {
  CODE_RUNNERS,
  GETATTR,
  IMPORT_FUNCTIONS,
  IMPORT_MODULE,
  IPYTHON_GETTERS,
  IPYTHON_SHELL,
  OS_ENVIRON,
  SYS_MODULES
} from './paths';

/** Keys of a kwargs dict worth remembering: the keywords the rules read. */
const KWARG_RULE_KEYS: ReadonlySet<string> = new Set([
  ...RULE_KEYWORDS,
  'trust_remote_code'
]);

/** Deeper nesting than this is not walked (generated code); keeps recursion bounded. */
const MAX_DEPTH = 400;

/** exec('exec("...")') nesting followed at most this deep. */
const MAX_NESTED_CODE = 3;

export class PythonPass {
  constructor(
    private readonly code: string,
    private readonly ctx: RuleContext,
    private readonly nesting = 0
  ) {
    this.mentionsTrustRemoteCode = code.includes('trust_remote_code');
    this.mentionsFolderWriter = [...FOLDER_WRITERS, ...FOLDER_KEYWORDS].some(
      w => code.includes(w)
    );
  }

  /** Same for the calls that write a folder (save_pretrained, output_dir=...). */
  private readonly mentionsFolderWriter: boolean;

  /** Cheap pre-test: most cells never mention the keyword, so most calls skip the check. */
  private readonly mentionsTrustRemoteCode: boolean;

  /**
   * Walk a cell's tree. `atStatement` is told where each top-level statement starts before
   * it is walked (the analyzer dates the scope's changes by it).
   */
  run(tree: Tree, scope: Scope, atStatement?: (from: number) => void): void {
    if (atStatement === undefined) {
      this.walkChildren(tree.topNode, scope, 0);
      return;
    }
    for (let c = tree.topNode.firstChild; c !== null; c = c.nextSibling) {
      atStatement(c.from);
      this.walk(c, scope, 1);
    }
  }

  private walkChildren(node: SyntaxNode, scope: Scope, depth: number): void {
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      this.walk(c, scope, depth + 1);
    }
  }

  private walk(node: SyntaxNode, scope: Scope, depth: number): void {
    if (depth > MAX_DEPTH) {
      return;
    }
    switch (node.name) {
      case 'ImportStatement':
        this.importStatement(node, scope);
        return;
      case 'AssignStatement':
        this.assignStatement(node, scope, depth);
        return;
      case 'CallExpression':
        this.callExpression(node, scope, depth);
        return;
      case 'FunctionDefinition':
        this.functionDefinition(node, scope, depth);
        return;
      case 'LambdaExpression':
        this.lambdaExpression(node, scope, depth);
        return;
      case 'ClassDefinition':
        this.classDefinition(node, scope, depth);
        return;
      case 'NamedExpression':
        this.namedExpression(node, scope, depth);
        return;
      case 'ForStatement':
      case 'WithStatement':
      case 'TryStatement':
      case 'DeleteStatement':
        this.bindingStatement(node, scope, depth);
        return;
      case 'String':
      case 'Comment':
      case 'Number':
      case 'VariableName':
      case 'PropertyName':
        return;
      default:
        this.walkChildren(node, scope, depth);
    }
  }

  /** The dotted path an expression denotes (`t.load` -> `torch.load`), or null. */
  resolve(node: SyntaxNode, scope: Scope, depth = 0): string | null {
    if (depth > 60) {
      return null;
    }
    switch (node.name) {
      case 'VariableName':
        return scope.resolve(identifier(this.code, node));
      case 'MemberExpression': {
        const obj = node.firstChild;
        const op = nextCode(obj);
        if (!obj || !op) {
          return null;
        }
        const base = this.resolve(obj, scope, depth + 1);
        if (base === null) {
          return null;
        }
        if (op.name === '.') {
          const prop = nextCode(op);
          return prop && prop.name === 'PropertyName'
            ? `${base}.${identifier(this.code, prop)}`
            : null;
        }
        // sys.modules['pickle']
        const key = nextCode(op);
        if (base === SYS_MODULES && op.name === '[' && key) {
          return constString(this.code, key);
        }
        return null;
      }
      case 'CallExpression':
        return this.resolveCallResult(node, scope, depth);
      case 'ParenthesizedExpression': {
        const inner = nextCode(node.firstChild);
        return inner ? this.resolve(inner, scope, depth + 1) : null;
      }
      default:
        return null;
    }
  }

  /** `__import__('x')`, `importlib.import_module('x')`, `getattr(obj, 'name')`. */
  private resolveCallResult(
    node: SyntaxNode,
    scope: Scope,
    depth: number
  ): string | null {
    const callee = node.firstChild;
    const argList = nextCode(callee);
    if (!callee || !argList || argList.name !== 'ArgList') {
      return null;
    }
    const fn = this.resolve(callee, scope, depth + 1);
    if (fn === null) {
      return null;
    }
    if (IPYTHON_GETTERS.has(fn)) {
      return IPYTHON_SHELL;
    }
    const args = parseArguments(this.code, argList);
    const first = args.keywords.get('name')?.value ?? args.positional[0];
    if (IMPORT_FUNCTIONS.has(fn)) {
      const name = first ? constString(this.code, first) : null;
      if (name === null) {
        return null;
      }
      // __import__('a.b') returns package a unless a fromlist is given.
      const fromlist =
        args.keywords.get('fromlist')?.value ?? args.positional[3];
      return fromlist ? name : name.split('.')[0];
    }
    if (fn === IMPORT_MODULE) {
      return first ? constString(this.code, first) : null;
    }
    if (fn === GETATTR && args.positional.length >= 2) {
      const base = this.resolve(args.positional[0], scope, depth + 1);
      const attr = constString(this.code, args.positional[1]);
      return base !== null && attr !== null ? `${base}.${attr}` : null;
    }
    return null;
  }

  private importStatement(node: SyntaxNode, scope: Scope): void {
    const parts: SyntaxNode[] = [];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      parts.push(c);
    }
    if (parts.length === 0) {
      return;
    }
    if (parts[0].name === 'from') {
      let i = 1;
      let relative = false;
      const modParts: string[] = [];
      for (; i < parts.length && parts[i].name !== 'import'; i++) {
        if (parts[i].name === 'VariableName') {
          modParts.push(identifier(this.code, parts[i]));
        } else if (modParts.length === 0) {
          relative = true;
        }
      }
      const mod = relative ? null : modParts.join('.');
      for (i++; i < parts.length; i++) {
        const p = parts[i];
        if (p.name === '*' || (p.name === '⚠' && text(this.code, p) === '*')) {
          for (const name of (mod && STAR_EXPORTS.get(mod)) || []) {
            scope.bind(name, `${mod}.${name}`);
          }
        } else if (p.name === 'VariableName') {
          const name = identifier(this.code, p);
          let local = name;
          if (
            parts[i + 1]?.name === 'as' &&
            parts[i + 2]?.name === 'VariableName'
          ) {
            local = identifier(this.code, parts[i + 2]);
            i += 2;
          }
          // A relative import is the project's own code.
          scope.bind(
            local,
            mod ? importBinding(`${mod}.${name}`, this.ctx.ownModules) : OWN
          );
        }
      }
      return;
    }
    // import a.b.c [as x], ...
    let dotted: string[] = [];
    for (let i = 1; i <= parts.length; i++) {
      const p = parts[i];
      if (p && p.name === 'VariableName') {
        dotted.push(identifier(this.code, p));
      } else if (p && p.name === 'as') {
        const alias = parts[i + 1];
        if (alias && alias.name === 'VariableName' && dotted.length > 0) {
          scope.bind(
            identifier(this.code, alias),
            importBinding(dotted.join('.'), this.ctx.ownModules)
          );
        }
        dotted = [];
        i++;
      } else if (!p || p.name === ',') {
        if (dotted.length > 0) {
          scope.bind(dotted[0], importBinding(dotted[0], this.ctx.ownModules));
        }
        dotted = [];
      }
    }
  }

  private assignStatement(node: SyntaxNode, scope: Scope, depth: number): void {
    // Segments separated by `=`: targets..., value.
    const segments: SyntaxNode[][] = [[]];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'AssignOp') {
        segments.push([]);
      } else if (c.name !== 'TypeDef') {
        segments[segments.length - 1].push(c);
      }
    }
    const value = segments[segments.length - 1];
    for (const v of value) {
      this.walk(v, scope, depth + 1);
    }
    if (segments.length < 2) {
      return;
    }
    const valueExprs = value.filter(v => v.name !== ',');
    for (const target of segments.slice(0, -1)) {
      const names = target.filter(t => t.name !== ',');
      for (const t of names) {
        if (t.name !== 'VariableName') {
          this.walk(t, scope, depth + 1);
        }
      }
      if (names.length === 1 && valueExprs.length === 1) {
        this.bindTarget(
          names[0],
          valueExprs[0],
          scope,
          segments.length === 2 && isStringAssignment(text(this.code, node))
        );
      } else if (names.length === valueExprs.length) {
        names.forEach((t, i) => this.bindTarget(t, valueExprs[i], scope));
      } else {
        names.forEach(t => this.bindTarget(t, null, scope));
      }
    }
  }

  private bindTarget(
    target: SyntaxNode,
    value: SyntaxNode | null,
    scope: Scope,
    stringConstant = false
  ): void {
    if (target.name === 'VariableName') {
      scope.bind(
        identifier(this.code, target),
        value
          ? (this.resolve(value, scope) ??
              this.literalValue(value, scope, stringConstant))
          : null
      );
      return;
    }
    // os.environ['NAME'] = value
    const obj = target.firstChild;
    const open = nextCode(obj);
    const key = nextCode(open);
    if (
      target.name === 'MemberExpression' &&
      obj &&
      open?.name === '[' &&
      key
    ) {
      if (this.resolve(obj, scope) === OS_ENVIRON) {
        const name = constString(this.code, key);
        if (name !== null) {
          checkEnvAssignment(
            name,
            value ? constString(this.code, value) : null,
            target.from,
            value ? value.to : target.to,
            this.ctx.trusted,
            this.ctx.out
          );
        }
      }
    }
  }

  private callExpression(node: SyntaxNode, scope: Scope, depth: number): void {
    const callee = node.firstChild;
    const argList = nextCode(callee);
    this.walkChildren(node, scope, depth);
    if (!callee || !argList || argList.name !== 'ArgList') {
      return;
    }
    const qname = this.resolve(callee, scope);
    const property =
      callee.name === 'MemberExpression' &&
      callee.lastChild?.name === 'PropertyName'
        ? callee.lastChild
        : null;
    const runsCode = qname !== null && CODE_RUNNERS.has(qname);
    if (this.mentionsFolderWriter) {
      this.noteWrittenFolders(property, argList, scope);
    }
    if (
      !runsCode &&
      !mayMatch(
        qname,
        property && identifier(this.code, property),
        this.mentionsTrustRemoteCode &&
          /trust_remote_code|\*\*/.test(
            this.code.slice(argList.from, argList.to)
          )
      )
    ) {
      return;
    }
    const args = parseArguments(this.code, argList);
    if (args.close < 0) {
      // Unfinished call (still being typed): its arguments are not known yet.
      return;
    }
    if (runsCode) {
      this.codeString(args.positional[0], scope);
    }
    checkCall(
      {
        code: this.code,
        node,
        callee,
        qname,
        property,
        args,
        resolve: n => this.resolve(n, scope),
        stringOf: n => this.stringOf(n, scope),
        kwargs: this.kwargsFacts(args, scope),
        ownReceiver:
          callee.name === 'MemberExpression' &&
          callee.firstChild !== null &&
          (this.resolve(callee.firstChild, scope) ?? '').startsWith(OWN),
        wasWritten: folder => scope.wasWritten(folder)
      },
      this.ctx
    );
  }

  /** A constant string, written out or held by a name (`model_dir = "out/m"`). */
  private stringOf(node: SyntaxNode, scope: Scope): string | null {
    const s = constString(this.code, node);
    if (s !== null || node.name !== 'VariableName') {
      return s;
    }
    return readString(scope.resolve(identifier(this.code, node)));
  }

  /**
   * What the `**name` arguments of a call are known to hold (dicts built above), merged;
   * null when any of them is unknown.
   */
  private kwargsFacts(
    args: CallArguments,
    scope: Scope
  ): Record<string, KeywordFact> | null {
    if (args.starKwargsValues.length === 0) {
      return null;
    }
    let facts: Record<string, KeywordFact> = {};
    for (const v of args.starKwargsValues) {
      const known =
        readKwargs(this.resolve(v, scope)) ?? this.dictFacts(v, scope, 0);
      if (known === null || UNKNOWN_KEYS in known) {
        return null;
      }
      facts = { ...facts, ...known };
    }
    return facts;
  }

  /**
   * The literal value an expression stores (values.ts): a string constant, or a dict of
   * keyword arguments (`{...}`, `dict(...)`, `a if c else b` of those); null otherwise.
   */
  private literalValue(
    node: SyntaxNode,
    scope: Scope,
    stringConstant: boolean
  ): string | null {
    if (stringConstant) {
      const s = constString(this.code, node);
      return s === null ? null : stringValue(s);
    }
    const facts = this.dictFacts(node, scope, 0);
    // Only dicts that set a keyword a rule reads are kept: their statements are the ones
    // the relevance filter selects by those words.
    return facts !== null &&
      Object.keys(facts).some(k => KWARG_RULE_KEYS.has(k))
      ? kwargsValue(facts)
      : null;
  }

  private dictFacts(
    node: SyntaxNode,
    scope: Scope,
    depth: number
  ): Record<string, KeywordFact> | null {
    if (depth > 8) {
      return null;
    }
    if (node.name === 'VariableName') {
      return readKwargs(scope.resolve(identifier(this.code, node)));
    }
    if (node.name === 'ParenthesizedExpression') {
      const inner = nextCode(node.firstChild);
      return inner ? this.dictFacts(inner, scope, depth + 1) : null;
    }
    if (node.name === 'ConditionalExpression') {
      const parts = children(node).filter(
        c => c.name !== 'if' && c.name !== 'else' && c.name !== 'Comment'
      );
      const [a, , b] = parts;
      const fa = a ? this.dictFacts(a, scope, depth + 1) : null;
      const fb = b ? this.dictFacts(b, scope, depth + 1) : null;
      return fa && fb ? mergeKwargs(fa, fb) : null;
    }
    const facts: Record<string, KeywordFact> = {};
    if (node.name === 'DictionaryExpression') {
      const entries = dictEntries(this.code, node);
      const written = children(node).filter(c => c.name === ':').length;
      if (
        entries.length !== written ||
        children(node).some(c => c.name === '**')
      ) {
        facts[UNKNOWN_KEYS] = '?';
      }
      for (const [key, value] of entries) {
        facts[key] = this.fact(value, scope);
      }
      return facts;
    }
    if (node.name === 'CallExpression') {
      const callee = node.firstChild;
      const argList = nextCode(callee);
      if (
        !callee ||
        callee.name !== 'VariableName' ||
        identifier(this.code, callee) !== 'dict' ||
        scope.resolve('dict') !== null ||
        !argList ||
        argList.name !== 'ArgList'
      ) {
        return null;
      }
      const args = parseArguments(this.code, argList);
      if (args.positional.length > 0 || args.starArgs || args.starKwargs) {
        facts[UNKNOWN_KEYS] = '?';
      }
      args.keywords.forEach((kw, key) => {
        facts[key] = this.fact(kw.value, scope);
      });
      return facts;
    }
    return null;
  }

  private fact(value: SyntaxNode, scope: Scope): KeywordFact {
    if (value.name === 'Boolean') {
      return text(this.code, value) === 'True';
    }
    if (value.name === 'None') {
      return null;
    }
    const s = this.stringOf(value, scope);
    return s === null ? '?' : { s };
  }

  /** `x.save_pretrained("m")`, `TrainingArguments(output_dir="m")`: "m" is a local folder. */
  private noteWrittenFolders(
    property: SyntaxNode | null,
    argList: SyntaxNode,
    scope: Scope
  ): void {
    const listText = this.code.slice(argList.from, argList.to);
    const writer =
      property !== null &&
      FOLDER_WRITERS.includes(identifier(this.code, property));
    if (!writer && !FOLDER_KEYWORDS.some(k => listText.includes(k))) {
      return;
    }
    const args = parseArguments(this.code, argList);
    const folders: SyntaxNode[] = [];
    if (writer && args.positional[0]) {
      folders.push(args.positional[0]);
    }
    for (const k of FOLDER_KEYWORDS) {
      const kw = args.keywords.get(k);
      if (kw) {
        folders.push(kw.value);
      }
    }
    for (const f of folders) {
      const folder = this.stringOf(f, scope);
      if (folder !== null) {
        scope.noteWrittenFolder(folder);
      }
    }
  }

  /** exec("import pickle; pickle.loads(b)"): findings inside point at the string argument. */
  private codeString(arg: SyntaxNode | undefined, scope: Scope): void {
    const source = arg ? constString(this.code, arg) : null;
    if (!arg || source === null || this.nesting >= MAX_NESTED_CODE) {
      return;
    }
    const inner: RawFinding[] = [];
    const starts: CodeStart[] = [];
    new PythonPass(
      source,
      { ...this.ctx, out: inner, starts },
      this.nesting + 1
    ).run(parser.parse(source), scope.child());
    for (const f of inner) {
      this.ctx.out.push({ ruleId: f.ruleId, from: arg.from, to: arg.to });
    }
    // the string's own offsets are not the cell's: its starts go on the argument
    for (const s of starts) {
      this.ctx.starts.push({ ...s, from: arg.from, to: arg.to });
    }
  }

  private functionDefinition(
    node: SyntaxNode,
    scope: Scope,
    depth: number
  ): void {
    const inner = scope.child();
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'VariableName') {
        scope.bind(identifier(this.code, c), null);
      } else if (c.name === 'ParamList') {
        this.parameters(c, scope, inner, depth);
      } else if (c.name === 'Body') {
        this.walkChildren(c, inner, depth);
      } else {
        this.walk(c, scope, depth + 1);
      }
    }
  }

  private lambdaExpression(
    node: SyntaxNode,
    scope: Scope,
    depth: number
  ): void {
    const inner = scope.child();
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'ParamList') {
        this.parameters(c, scope, inner, depth);
      } else {
        this.walk(c, inner, depth + 1);
      }
    }
  }

  /** Parameter names shadow outer names inside; default values are evaluated outside. */
  private parameters(
    list: SyntaxNode,
    outer: Scope,
    inner: Scope,
    depth: number
  ): void {
    let expectName = true;
    for (let c = list.firstChild; c !== null; c = c.nextSibling) {
      const n = c.name;
      if (n === '(' || n === ',' || n === '*' || n === '**' || n === '/') {
        expectName = true;
      } else if (n === 'VariableName' && expectName) {
        inner.bind(identifier(this.code, c), null);
        expectName = false;
      } else if (n !== 'TypeDef' && n !== 'AssignOp') {
        this.walk(c, outer, depth + 1);
        expectName = false;
      }
    }
  }

  private classDefinition(node: SyntaxNode, scope: Scope, depth: number): void {
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'VariableName') {
        // A class that defines (or names) from_pretrained itself is the project's own:
        // its from_pretrained is not a hub download. (One that only inherits it, from a
        // PreTrainedModel, still downloads.) The word also makes the relevance filter
        // select the statement, so both ways of analysing bind the same.
        scope.bind(
          identifier(this.code, c),
          text(this.code, node).includes('from_pretrained') ? OWN : null
        );
      } else if (c.name === 'Body') {
        this.walkChildren(c, scope.child(), depth);
      } else {
        this.walk(c, scope, depth + 1);
      }
    }
  }

  private namedExpression(node: SyntaxNode, scope: Scope, depth: number): void {
    const target = node.firstChild;
    const value = node.lastChild;
    if (value && value !== target) {
      this.walk(value, scope, depth + 1);
    }
    if (target && target.name === 'VariableName') {
      scope.bind(
        identifier(this.code, target),
        value && value !== target ? this.resolve(value, scope) : null
      );
    }
  }

  /** for/with/except/del: the names they bind (loop targets, `as` names) become unknown. */
  private bindingStatement(
    node: SyntaxNode,
    scope: Scope,
    depth: number
  ): void {
    let binding =
      node.name === 'ForStatement' || node.name === 'DeleteStatement';
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      const n = c.name;
      if (n === 'as') {
        binding = true;
        continue;
      }
      if (n === 'in' || n === 'Body' || n === ':') {
        binding = false;
      }
      if (binding && n === 'VariableName') {
        scope.bind(identifier(this.code, c), null);
        if (node.name === 'WithStatement' || node.name === 'TryStatement') {
          binding = false;
        }
      } else if (n === 'Body') {
        this.walkChildren(c, scope, depth);
      } else {
        this.walk(c, scope, depth + 1);
      }
    }
  }
}
