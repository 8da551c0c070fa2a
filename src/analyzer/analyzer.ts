/** Entry points of the static analyzer: one cell (with the scope before it), or a notebook. */
import { Tree, type TreeBuffer } from '@lezer/common';
import { parser } from '@lezer/python';
import type { AnalyzerOptions, Finding, RawFinding } from './types';
import { ruleMessage, staticRule } from './catalog';
import { startTexts, type CodeStart } from './codestarts';
import { maskIPython, type MaskedCell, type ShellText } from './ipython';
import { IPythonAliases } from './ipythonaliases';
import { LineIndex } from './positions';
import { markIgnored } from './ignore';
import { PythonPass } from './python';
import { EMPTY_SCOPE, Scope, type AnalyzerScope } from './scope';
import { analyzeEnvMagic, analyzeShell } from './shell';
import { trustedSources, type TrustedSources } from './sources';
import { RelevanceFilter, selectAfterPass, type NameChange } from './relevance';
import { scanStatements, type Statement } from './statements';

export interface CellAnalysis {
  findings: Finding[];
  /**
   * False when Lezer's error recovery hit the time budget on badly broken code and only the
   * start of the cell (up to `analyzedTo`) was analysed.
   */
  complete: boolean;
  analyzedTo: number;
  /** Module-level names after this cell ran: pass it as `scopeBefore` of the next cell. */
  scopeAfter: AnalyzerScope;
  /** What the cell's Python code starts with literal text (`os.system('pip install x')`,
   * `get_ipython().run_line_magic('pip', ...)`), as the IPython reader's shell texts: the
   * install reading (src/deps/scan.ts) reads them beside the reader's own. */
  codeStarts: ShellText[];
}

/**
 * Analyse one cell (or a whole .py file). `scopeBefore` holds the imports and bindings of the
 * cells that ran before it; the result's `scopeAfter` is what the next cell should see.
 * Never throws on any input text.
 */
export function analyzeCell(
  code: string,
  scopeBefore: AnalyzerScope = EMPTY_SCOPE,
  options: AnalyzerOptions = {},
  aliases?: IPythonAliases
): CellAnalysis {
  const trusted = trustedSources(options);
  const raw: RawFinding[] = [];
  const masked: MaskedCell =
    options.ipython === false
      ? { python: code, shell: [] }
      : maskIPython(code, aliases);
  const python = analyzePython(masked.python, scopeBefore, trusted, options);
  const starts = [...python.starts];
  for (const call of masked.escaped ?? []) {
    // `;f a b` runs `f("a b")` where the line stands, with the names the cell binds
    const inner = analyzePython(call.text, python.scope.snapshot(), trusted, {
      ...options,
      exhaustive: true
    });
    const at = { from: call.from, to: call.to };
    raw.push(...inner.raw.map(f => ({ ruleId: f.ruleId, ...at })));
    starts.push(...inner.starts.map(st => ({ ...st, ...at })));
  }
  const codeStarts = startTexts(starts, aliases);
  for (const part of [...masked.shell, ...codeStarts]) {
    if (part.kind === 'env') {
      analyzeEnvMagic(part.text, part.offset, trusted, raw);
    } else if (part.kind === 'shell' && part.extent) {
      // an alias's expansion or a call's literal is not the cell's text: its findings go on
      // the line using it
      const found: RawFinding[] = [];
      analyzeShell(part.text, 0, trusted, found);
      const { from, to } = part.extent;
      raw.push(...found.map(f => ({ ruleId: f.ruleId, from, to })));
    } else if (part.kind === 'shell') {
      analyzeShell(part.text, part.offset, trusted, raw);
    }
  }
  const findings = toFindings(code, raw.concat(python.raw));
  markIgnored(code, findings, options.notebookIgnores);
  return {
    findings,
    complete: python.analyzedTo >= masked.python.length,
    analyzedTo: Math.min(python.analyzedTo, code.length),
    scopeAfter: python.scope.snapshot(),
    codeStarts
  };
}

interface PythonResult {
  raw: RawFinding[];
  starts: CodeStart[];
  scope: Scope;
  analyzedTo: number;
}

/**
 * Rounds of "the pass changed what a name means, look again" before every statement is
 * selected. Most cells need none; a chain of aliases (`f = t.load`, `g = f`, `g(p)`) one
 * per link.
 */
const MAX_REFINEMENTS = 3;

/**
 * The Python pass over the statements that can matter. Each run of consecutive selected
 * statements is parsed once, as the slice of the cell it is, and the runs' trees are joined
 * into one tree at their offsets in the cell (a run is whole top-level statements, so its
 * nodes are those a parse of the whole cell has). When the pass changes what a name means
 * (`loader = getattr(pkl, "load")`, `torch = None`), the skipped statements are judged
 * again with what names really meant there; those that may matter now are parsed and the
 * pass runs again over all of them.
 */
function analyzePython(
  code: string,
  scopeBefore: AnalyzerScope,
  trusted: TrustedSources,
  options: AnalyzerOptions
): PythonResult {
  // One parse budget for the cell, shared by the rounds.
  const deadline =
    options.parseBudgetMs === undefined
      ? undefined
      : performance.now() + options.parseBudgetMs;
  const budget = () =>
    deadline === undefined
      ? undefined
      : Math.max(0, deadline - performance.now());
  const before = Scope.fromSnapshot(scopeBefore);
  if (options.exhaustive) {
    const tree = parseWithinBudget(code, budget());
    const result = runPass(
      code,
      [{ from: 0, tree }],
      scopeBefore,
      trusted,
      options
    );
    return { ...result, analyzedTo: tree.length };
  }
  const scan = scanStatements(code);
  const { statements } = scan;
  const filter = new RelevanceFilter(code, scan, before, options.ownModules);
  const selected = statements.map(s => filter.mayMatter(s));
  const parsed = new Array<boolean>(statements.length).fill(false);
  const runs: ParsedRun[] = [];
  for (let round = 0; ; round++) {
    const stoppedAt = parseRuns(
      code,
      statements,
      selected,
      parsed,
      runs,
      budget
    );
    const result = runPass(code, runs, scopeBefore, trusted, options);
    if (stoppedAt !== null) {
      // Out of budget: analysed up to where the parse stopped.
      return { ...result, analyzedTo: stoppedAt };
    }
    if (
      !selectAfterPass(
        code,
        scan,
        selected,
        before,
        result.changes,
        options.ownModules
      )
    ) {
      return result;
    }
    if (round + 1 >= MAX_REFINEMENTS) {
      selected.fill(true);
    }
  }
}

/** A parsed run of consecutive statements: the tree of code.slice(from, from + tree.length). */
interface ParsedRun {
  from: number;
  tree: Tree;
}

/**
 * Parse the runs of selected statements not parsed yet, adding them to `runs` in cell
 * order. Returns where a parse stopped on the budget, or null.
 */
function parseRuns(
  code: string,
  statements: readonly Statement[],
  selected: readonly boolean[],
  parsed: boolean[],
  runs: ParsedRun[],
  budget: () => number | undefined
): number | null {
  let added = false;
  for (let k = 0; k < statements.length; k++) {
    if (!selected[k] || parsed[k]) {
      continue;
    }
    let end = k;
    while (
      end + 1 < statements.length &&
      selected[end + 1] &&
      !parsed[end + 1]
    ) {
      end++;
    }
    const from = statements[k].from;
    const to = statements[end].to;
    const tree = parseWithinBudget(code.slice(from, to), budget());
    runs.push({ from, tree });
    added = true;
    for (let j = k; j <= end; j++) {
      parsed[j] = true;
    }
    if (tree.length < to - from) {
      runs.sort((a, b) => a.from - b.from);
      const stoppedAt = from + tree.length;
      // Nothing after the stop is analysed.
      while (runs.length > 0 && runs[runs.length - 1].from > from) {
        runs.pop();
      }
      return stoppedAt;
    }
    k = end;
  }
  if (added) {
    runs.sort((a, b) => a.from - b.from);
  }
  return null;
}

interface PassResult extends PythonResult {
  /** What the pass changed at module level, dated by the statement that did it. */
  changes: NameChange[];
}

/** Walk the parsed runs, in cell order, as one tree of the cell. */
function runPass(
  code: string,
  runs: readonly ParsedRun[],
  scopeBefore: AnalyzerScope,
  trusted: TrustedSources,
  options: AnalyzerOptions
): PassResult {
  const scope = Scope.fromSnapshot(scopeBefore);
  const raw: RawFinding[] = [];
  const starts: CodeStart[] = [];
  const changes: NameChange[] = [];
  if (runs.length === 0) {
    return { raw, starts, scope, analyzedTo: code.length, changes };
  }
  const log = scope.changes!;
  let at = 0;
  let logged = 0;
  const date = (upTo: number) => {
    for (; logged < upTo; logged++) {
      changes.push({ at, name: log[logged][0], path: log[logged][1] });
    }
  };
  new PythonPass(code, {
    trusted,
    out: raw,
    starts,
    ownModules: options.ownModules
  }).run(oneTree(runs, code.length), scope, from => {
    date(log.length);
    at = from;
  });
  date(log.length);
  return { raw, starts, scope, analyzedTo: code.length, changes };
}

/** The runs' trees as one tree of the cell (their top-level nodes at their cell offsets). */
function oneTree(runs: readonly ParsedRun[], length: number): Tree {
  if (runs.length === 1 && runs[0].from === 0) {
    return runs[0].tree;
  }
  const children: Array<Tree | TreeBuffer> = [];
  const positions: number[] = [];
  for (const { from, tree } of runs) {
    tree.children.forEach((child, i) => {
      children.push(child);
      positions.push(from + tree.positions[i]);
    });
  }
  return new Tree(runs[0].tree.type, children, positions, length);
}

/**
 * Lezer parses valid code in linear time, but its error recovery on some broken input (a
 * pile of unclosed brackets) can take tens of milliseconds. With a budget the parse stops
 * where it is when time runs out and the cell is analysed up to there, so an editor never
 * stalls. Without one (the default, and the CLI) results do not depend on machine load.
 */
function parseWithinBudget(code: string, budgetMs: number | undefined): Tree {
  if (budgetMs === undefined || !(budgetMs < Infinity)) {
    return parser.parse(code);
  }
  const parse = parser.startParse(code);
  const deadline = performance.now() + budgetMs;
  for (;;) {
    const tree = parse.advance();
    if (tree) {
      return tree;
    }
    if (parse.stoppedAt === null && performance.now() > deadline) {
      parse.stopAt(parse.parsedPos);
    }
  }
}

/**
 * Analyse the code cells of a notebook in order (the order Run All uses), each seeing the
 * imports of the cells before it. Returns one finding list per cell, index for index.
 */
export function analyzeNotebook(
  cells: readonly string[],
  options: AnalyzerOptions = {}
): Finding[][] {
  return analyzeNotebookCells(cells, options).map(a => a.findings);
}

/** `analyzeNotebook`, each cell's whole analysis (its code starts too). */
export function analyzeNotebookCells(
  cells: readonly string[],
  options: AnalyzerOptions = {}
): CellAnalysis[] {
  let scope = EMPTY_SCOPE;
  const aliases = new IPythonAliases(); // an alias defined in one cell runs in a later one
  return cells.map(code => {
    const result = analyzeCell(code, scope, options, aliases);
    scope = result.scopeAfter;
    return result;
  });
}

function toFindings(code: string, raw: RawFinding[]): Finding[] {
  if (raw.length === 0) {
    return [];
  }
  const lines = new LineIndex(code);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  raw.sort(
    (a, b) => a.from - b.from || a.to - b.to || a.ruleId.localeCompare(b.ruleId)
  );
  for (const r of raw) {
    const key = `${r.ruleId}:${r.from}:${r.to}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const rule = staticRule(r.ruleId);
    const start = lines.position(r.from);
    const end = lines.position(r.to);
    const finding: Finding = {
      ruleId: r.ruleId,
      severity: rule.severity,
      message: ruleMessage(rule),
      from: r.from,
      to: r.to,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column
    };
    if (r.fix) {
      finding.fix = r.fix;
    }
    findings.push(finding);
  }
  return findings;
}
