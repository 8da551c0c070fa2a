/**
 * The call rules that take a literal start out of Python code (codestarts.ts): a command a
 * shell or the os module starts (`os.system`, `subprocess.*`, `os.exec*`, `os.spawn*`,
 * `os.posix_spawn*`), the kernel shell's `system`/`getoutput`, and the magics
 * `run_line_magic`/`run_cell_magic` run. Each reads its arguments as Python passes them.
 */
import type { SyntaxNode } from '@lezer/common';
import {
  children,
  constString,
  dictEntries,
  literalString,
  literalTruth,
  sequenceElements,
  UNDECODABLE
} from './syntax';
import { argvLine, shellQuote } from './codestarts';
import { IPYTHON_SHELL, OS_ENVIRON } from './paths';
import {
  argument,
  keyword,
  unknownKwargs,
  type CallCheck,
  type CallSite,
  type KeywordView,
  type RuleContext
} from './callsite';

/** A command as written: a constant line, or an argv list's words (null: not a constant). */
type Command = string | ReadonlyArray<string | null>;

/** The command a literal argument writes; UNDECODABLE when a literal in it cannot be decoded
 * (an unreadable start, never none); null when it is no literal. */
function commandOf(
  site: CallSite,
  node: SyntaxNode
): Command | typeof UNDECODABLE | null {
  const line = literalString(site.code, node);
  if (line !== null) {
    return line;
  }
  const elements = sequenceElements(node);
  if (elements === null) {
    return null;
  }
  const words = elements.map(e => literalString(site.code, e));
  return words.includes(UNDECODABLE)
    ? UNDECODABLE
    : (words as Array<string | null>);
}

const UNDECODED = 'a string literal Warden cannot decode';

function pushStart(
  ctx: RuleContext,
  at: SyntaxNode,
  kind: 'shell' | 'unreadable',
  text: string
): void {
  ctx.starts.push({ kind, text, from: at.from, to: at.to });
}

/**
 * os.system, os.popen, subprocess.getoutput and getstatusoutput: a shell always reads the
 * command (os.popen and getoutput pass shell=True to Popen, so of a list the shell reads the
 * first item). The start is read by the shell rules and the install reading (codestarts.ts).
 */
function shellLine(site: CallSite, ctx: RuleContext): void {
  const cmd = argument(site, 'cmd', 0) ?? argument(site, 'command', 0);
  const command = cmd ? commandOf(site, cmd) : null;
  if (!cmd || command === null) {
    return;
  }
  if (command === UNDECODABLE) {
    pushStart(ctx, cmd, 'unreadable', UNDECODED);
    return;
  }
  const line = typeof command === 'string' ? command : command[0];
  if (line !== null && line !== undefined) {
    pushStart(ctx, cmd, 'shell', line);
  }
}

/** Popen's parameters by position (run, call, check_call and check_output pass theirs on). */
const POPEN_EXECUTABLE = 2;
const POPEN_SHELL = 8;

/**
 * A keyword a start depends on, by keyword, position or a `**kwargs` dict built above:
 * undefined when absent, 'unknown' when it may be set to what the reader cannot see
 * (an expression, `*args` over its position, `**kwargs` not known).
 */
function setting(
  site: CallSite,
  name: string,
  index: number
): SyntaxNode | KeywordView | 'unknown' | undefined {
  const written = argument(site, name, index);
  if (written) {
    return written;
  }
  const view = keyword(site, name);
  if (view) {
    return view;
  }
  return site.args.starArgs || unknownKwargs(site) ? 'unknown' : undefined;
}

/**
 * The program `executable=` names: undefined when absent or None, 'unknown' when not a
 * constant; `sys.executable` is Python (as a non-constant first word of an argv list).
 */
function executableOf(site: CallSite): string | 'unknown' | undefined {
  const exe = setting(site, 'executable', POPEN_EXECUTABLE);
  if (exe === undefined || exe === 'unknown') {
    return exe;
  }
  if ('isNone' in exe) {
    return exe.isNone ? undefined : (exe.str ?? 'unknown');
  }
  if (exe.name === 'None') {
    return undefined;
  }
  if (site.resolve(exe) === 'sys.executable') {
    return 'python';
  }
  const value = literalString(site.code, exe);
  return typeof value === 'string' ? value : 'unknown';
}

/** Whether a shell reads the command (`shell=`): undefined when not known. */
function shellOf(site: CallSite): boolean | undefined {
  const shell = setting(site, 'shell', POPEN_SHELL);
  if (shell === undefined) {
    return false;
  }
  if (shell === 'unknown') {
    return undefined;
  }
  return 'isNone' in shell ? shell.truth : literalTruth(site.code, shell);
}

/**
 * subprocess.run / call / check_call / check_output / Popen: a constant command. With
 * shell=True Popen runs `/bin/sh -c ITEM0 ITEM1...` (the shell line is the first item, the
 * rest its $0, $1...); `executable=` is the program that runs (the shell with shell=True),
 * the argv list's first word then only its argv[0]. A shell= or executable= the reader cannot
 * see makes the start unreadable. A string with shell=False is read as a line (a program
 * named by the whole string seldom exists: reading more is the fail-closed side).
 */
function processCommand(site: CallSite, ctx: RuleContext): void {
  const cmd = argument(site, 'args', 0);
  const command = cmd ? commandOf(site, cmd) : null;
  if (!cmd || command === null) {
    return;
  }
  const shell = shellOf(site);
  const exe = executableOf(site);
  if (command === UNDECODABLE) {
    pushStart(ctx, cmd, 'unreadable', UNDECODED);
    return;
  }
  if (shell === undefined) {
    pushStart(
      ctx,
      cmd,
      'unreadable',
      'shell= is not a literal: whether a shell reads the command is not known'
    );
    return;
  }
  if (exe === 'unknown') {
    pushStart(
      ctx,
      cmd,
      'unreadable',
      'executable= is not a constant: the program that runs is not known'
    );
    return;
  }
  const words = typeof command === 'string' ? [command] : command;
  const line = shell
    ? exe === undefined
      ? words[0]
      : argvLine([exe, '-c', ...words])
    : exe !== undefined
      ? argvLine([exe, ...words.slice(1)])
      : typeof command === 'string'
        ? command
        : argvLine(command);
  if (line !== null && line !== undefined) {
    pushStart(ctx, cmd, 'shell', line);
  }
}

/**
 * os.exec*, os.spawn* and os.posix_spawn*: the program and its argv written out (R48b-5).
 * `spawn*` take a mode first; the l forms take the words as arguments, the v forms (and
 * posix_spawn*) as a list; the e forms then an environment, read as assignments before the
 * command (os.environ: none; any other not written out: unreadable). The p forms search PATH
 * as a shell does; the others take a path, a bare name read as the shell reads it (more,
 * never less). argv[0] is only the program's name for itself: the program word replaces it.
 */
function osStart(name: string): CallCheck {
  const form = name.startsWith('posix_spawn')
    ? 've'
    : name.replace(/^(?:exec|spawn)/, '');
  const mode = name.startsWith('spawn') ? 1 : 0;
  const list = form.startsWith('v');
  const withEnv = form.endsWith('e');
  return (site, ctx) => {
    const p = site.args.positional;
    const program = p[mode];
    if (site.args.starArgs || !program) {
      return; // words not written out: no literal start, as for subprocess
    }
    let argv: SyntaxNode[] | null;
    let env: SyntaxNode | undefined;
    if (list) {
      argv = p[mode + 1] ? sequenceElements(p[mode + 1]) : null;
      env = withEnv ? p[mode + 2] : undefined;
    } else {
      argv = p.slice(mode + 1, withEnv ? -1 : undefined);
      env = withEnv ? p[p.length - 1] : undefined;
    }
    const words = [program, ...(argv?.slice(1) ?? [])].map(w =>
      literalString(site.code, w)
    );
    if (argv === null) {
      words.push(null); // a list not written out: words Warden does not know
    }
    if (words.includes(UNDECODABLE)) {
      pushStart(ctx, program, 'unreadable', UNDECODED);
      return;
    }
    const assignments = env ? envAssignments(site, env) : [];
    if (assignments === null) {
      pushStart(
        ctx,
        env!,
        'unreadable',
        `os.${name} with an environment Warden cannot read`
      );
      return;
    }
    const line = argvLine(words as Array<string | null>);
    pushStart(ctx, program, 'shell', [...assignments, line].join(' '));
  };
}

/** An environment as shell assignments (`K='v'`): none for os.environ itself, null when it
 * is not a dict of constant names and values. */
function envAssignments(site: CallSite, env: SyntaxNode): string[] | null {
  if (site.resolve(env) === OS_ENVIRON) {
    return [];
  }
  if (env.name !== 'DictionaryExpression') {
    return null;
  }
  const entries = dictEntries(site.code, env);
  const pairs = entries.map(([k, v]) => [k, constString(site.code, v)]);
  const written = children(env).filter(c => c.name === ':').length;
  if (
    written !== entries.length ||
    pairs.some(([k, v]) => v === null || !/^[A-Za-z_]\w*$/.test(k!))
  ) {
    return null;
  }
  return pairs.map(([k, v]) => `${k}=${shellQuote(v!)}`);
}

const OS_STARTS = [
  ...['l', 'le', 'lp', 'lpe', 'v', 've', 'vp', 'vpe'].flatMap(f => [
    `exec${f}`,
    `spawn${f}`
  ]),
  'posix_spawn',
  'posix_spawnp'
];

/** `get_ipython().system('...')` (what IPython builds from a `!` line), `system_piped`,
 * `system_raw`, `getoutput`: the shell runs the command after one `var_expand`. */
function shellMethod(site: CallSite, ctx: RuleContext): void {
  const cmd = argument(site, 'cmd', 0);
  const line = cmd ? site.stringOf(cmd) : null;
  if (cmd && line === null && literalString(site.code, cmd) === UNDECODABLE) {
    pushStart(ctx, cmd, 'unreadable', UNDECODED);
  } else if (cmd && line !== null) {
    ctx.starts.push({
      kind: 'shell',
      text: line,
      from: cmd.from,
      to: cmd.to,
      expansions: 1
    });
  }
}

/**
 * `get_ipython().run_line_magic(NAME, LINE)` and `run_cell_magic(NAME, LINE, CELL)` run what
 * `%NAME LINE` and `%%NAME LINE` (the cell after it) run: that IPython text is the start,
 * read by the IPython reader. A line holding a line break has no `%` form: unreadable.
 */
function magicMethod(kind: 'line' | 'cell'): CallCheck {
  return (site, ctx) => {
    const name = argument(site, 'magic_name', 0);
    const line = argument(site, 'line', 1);
    const cell = kind === 'cell' ? argument(site, 'cell', 2) : undefined;
    const magic = name ? site.stringOf(name) : null;
    const args = line ? site.stringOf(line) : null;
    const body = cell ? site.stringOf(cell) : null;
    if (magic === null || args === null || (kind === 'cell' && body === null)) {
      return;
    }
    const { from, to } = site.node;
    if (args.includes('\n')) {
      ctx.starts.push({
        kind: 'unreadable',
        text: `a ${kind} magic's line holds a line break`,
        from,
        to
      });
      return;
    }
    const text =
      kind === 'line' ? `%${magic} ${args}` : `%%${magic} ${args}\n${body}`;
    ctx.starts.push({ kind: 'ipython', text, from, to });
  };
}

/** The calls that start a process or run IPython text, by the dotted path Python resolves. */
export const START_RULES: ReadonlyArray<[string[], CallCheck]> = [
  [
    [
      'os.system',
      'os.popen',
      'subprocess.getoutput',
      'subprocess.getstatusoutput'
    ],
    shellLine
  ],
  [
    [
      'subprocess.run',
      'subprocess.call',
      'subprocess.check_call',
      'subprocess.check_output',
      'subprocess.Popen'
    ],
    processCommand
  ],
  ...OS_STARTS.map((n): [string[], CallCheck] => [[`os.${n}`], osStart(n)]),
  [
    ['system', 'system_piped', 'system_raw', 'getoutput'].map(
      m => `${IPYTHON_SHELL}.${m}`
    ),
    shellMethod
  ],
  [[`${IPYTHON_SHELL}.run_line_magic`], magicMethod('line')],
  [[`${IPYTHON_SHELL}.run_cell_magic`], magicMethod('cell')]
];
