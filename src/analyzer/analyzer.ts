/** Entry points of the static analyzer: one cell (with the scope before it), or a notebook. */
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { AnalyzerOptions, Finding, RawFinding } from './types';
import { ruleMessage, staticRule } from './catalog';
import { maskIPython } from './ipython';
import { LineIndex } from './positions';
import { markIgnored } from './ignore';
import { PythonPass } from './python';
import { EMPTY_SCOPE, Scope, type AnalyzerScope } from './scope';
import { analyzeEnvMagic, analyzeShell } from './shell';
import { trustedSources, type TrustedSources } from './sources';
import { JoinedText } from './joined';
import { RelevanceFilter, statementsUsing } from './relevance';
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
}

/**
 * Analyse one cell (or a whole .py file). `scopeBefore` holds the imports and bindings of the
 * cells that ran before it; the result's `scopeAfter` is what the next cell should see.
 * Never throws on any input text.
 */
export function analyzeCell(
  code: string,
  scopeBefore: AnalyzerScope = EMPTY_SCOPE,
  options: AnalyzerOptions = {}
): CellAnalysis {
  const trusted = trustedSources(options);
  const raw: RawFinding[] = [];
  const masked =
    options.ipython === false ? { python: code, shell: [] } : maskIPython(code);
  for (const part of masked.shell) {
    if (part.kind === 'env') {
      analyzeEnvMagic(part.text, part.offset, trusted, raw);
    } else {
      analyzeShell(part.text, part.offset, trusted, raw);
    }
  }
  const python = analyzePython(masked.python, scopeBefore, trusted, options);
  const findings = toFindings(code, raw.concat(python.raw));
  markIgnored(code, findings, options.notebookIgnores);
  return {
    findings,
    complete: python.analyzedTo >= masked.python.length,
    analyzedTo: Math.min(python.analyzedTo, code.length),
    scopeAfter: python.scope.snapshot()
  };
}

interface PythonResult {
  raw: RawFinding[];
  scope: Scope;
  analyzedTo: number;
}

/**
 * Rounds of "a statement rebound a name, look again" before parsing everything. A rebinding
 * (`loader = torch.load`, then `loader(f)` further down) usually needs one more round over
 * the few statements that use the name, where parsing the whole cell at the first rebinding
 * parsed several times the relevant text. Bounded, and a round that would parse more than
 * half the cell parses it whole, so a cell costs at most a few parses of its relevant part.
 */
const MAX_REFINEMENTS = 3;

/**
 * The Python pass over the statements that can matter: they are parsed together (joined in
 * order, so Lezer is called once) and findings are mapped back to the cell's offsets. When
 * the pass rebinds a name to something new (`from pickle import loads`), statements that
 * were skipped but use that name are added and the pass runs again.
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
  if (options.exhaustive) {
    return runPass(code, null, scopeBefore, trusted, options, budget());
  }
  const scan = scanStatements(code);
  const { statements } = scan;
  const filter = new RelevanceFilter(
    code,
    scan,
    Scope.fromSnapshot(scopeBefore),
    options.ownModules
  );
  const selected = statements.map(s => filter.mayMatter(s));
  for (let round = 0; ; round++) {
    const pieces = statements.filter((_, k) => selected[k]);
    const result = runPass(
      code,
      pieces.length === statements.length ? null : pieces,
      scopeBefore,
      trusted,
      options,
      budget()
    );
    let more = false;
    const rebound = result.scope.rebound;
    if (rebound !== null && rebound.size > 0) {
      // Statements skipped on what a name meant before the cell, that use a name the cell
      // rebinds (those the filter saw rebound by a plain import are mostly selected already).
      statementsUsing(code, scan, rebound).forEach((uses, k) => {
        if (uses && !selected[k]) {
          selected[k] = more = true;
        }
      });
    }
    if (!more) {
      return result;
    }
    if (
      round + 1 >= MAX_REFINEMENTS ||
      selectedLength(statements, selected) * 2 > code.length
    ) {
      selected.fill(true);
    }
  }
}

/** Characters in the selected statements. */
function selectedLength(
  statements: readonly Statement[],
  selected: readonly boolean[]
): number {
  let n = 0;
  statements.forEach((s, k) => {
    if (selected[k]) {
      n += s.to - s.from;
    }
  });
  return n;
}

/** Parse and walk `pieces` of `code` (all of it when null). */
function runPass(
  code: string,
  pieces: Statement[] | null,
  scopeBefore: AnalyzerScope,
  trusted: TrustedSources,
  options: AnalyzerOptions,
  budgetMs: number | undefined
): PythonResult {
  const scope = Scope.fromSnapshot(scopeBefore);
  const raw: RawFinding[] = [];
  if (pieces !== null && pieces.length === 0) {
    return { raw, scope, analyzedTo: code.length };
  }
  const joined = pieces === null ? null : new JoinedText(code, pieces);
  const text = joined === null ? code : joined.text;
  const tree = parseWithinBudget(text, budgetMs);
  new PythonPass(text, {
    trusted,
    out: raw,
    ownModules: options.ownModules
  }).run(tree, scope);
  if (joined === null) {
    return { raw, scope, analyzedTo: tree.length };
  }
  for (const r of raw) {
    r.from = joined.original(r.from, false);
    r.to = joined.original(r.to, true);
    if (r.fix) {
      r.fix.from = joined.original(r.fix.from, false);
      r.fix.to = joined.original(r.fix.to, true);
    }
  }
  return {
    raw,
    scope,
    analyzedTo:
      tree.length >= text.length
        ? code.length
        : joined.original(tree.length, true)
  };
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
  let scope = EMPTY_SCOPE;
  return cells.map(code => {
    const result = analyzeCell(code, scope, options);
    scope = result.scopeAfter;
    return result.findings;
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
