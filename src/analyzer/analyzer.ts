/** Entry points of the static analyzer: one cell (with the scope before it), or a notebook. */
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { AnalyzerOptions, Finding, RawFinding } from './types';
import { ruleMessage, staticRule } from './catalog';
import { maskIPython } from './ipython';
import { LineIndex } from './positions';
import { PythonPass } from './python';
import { EMPTY_SCOPE, Scope, type AnalyzerScope } from './scope';
import { analyzeEnvMagic, analyzeShell } from './shell';
import { trustedSources } from './sources';

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
  const scope = Scope.fromSnapshot(scopeBefore);
  const tree = parseWithinBudget(masked.python, options.parseBudgetMs);
  new PythonPass(masked.python, { trusted, out: raw }).run(tree, scope);
  return {
    findings: toFindings(code, raw),
    complete: tree.length >= masked.python.length,
    analyzedTo: Math.min(tree.length, code.length),
    scopeAfter: scope.snapshot()
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
