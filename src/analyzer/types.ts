/** Public data shapes of the static analyzer (L1). Pure data: no JupyterLab, DOM or I/O. */

import type { Severity } from '../contracts';

export { SEVERITIES, type Severity } from '../contracts';

/** A text edit that makes the flagged code safe: replace [from, to) of the cell with `insert`. */
export interface Fix {
  from: number;
  to: number;
  insert: string;
  title: string;
}

/**
 * One finding in one cell (or .py file). Offsets are UTF-16 code-unit offsets into the text
 * that was analysed; lines and columns are 1-based, the end is exclusive (column after the
 * last character), as CodeMirror and SARIF regions expect.
 */
export interface Finding {
  ruleId: string;
  /**
   * Set when an ignore comment on the finding's lines, or the notebook's metadata, names its
   * rule (ignore.ts). The finding is still reported: the policy decides whether the ignore is
   * honoured (ignoreHonoured).
   */
  ignored?: FindingIgnore;
  severity: Severity;
  message: string;
  from: number;
  to: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
}

export interface AnalyzerOptions {
  /**
   * Package index URLs pip may use (policy `trusted_sources.package_indexes`; lists are read
   * once and treated as immutable). A URL is trusted
   * when it starts with one of these (trailing slashes ignored). Default: PyPI.
   */
  trustedIndexes?: readonly string[];
  /** Model hub host names (policy `trusted_sources.model_hubs`). Default: huggingface.co. */
  trustedModelHubs?: readonly string[];
  /**
   * Top-level module names that belong to the project being analysed (model.py next to a
   * training script): a class imported from them is the project's own, and its
   * from_pretrained is not a Hugging Face download. The CLI fills it from the file's folder.
   */
  ownModules?: ReadonlySet<string>;
  /**
   * Rule ids the notebook's metadata ignores (`metadata.warden.ignore`, see ignore.ts), with
   * the reason given there.
   */
  notebookIgnores?: ReadonlyMap<string, string>;
  /**
   * Treat the text as an IPython cell (magics, `!shell`, `obj?`). Default true; the CLI turns
   * it off for plain .py files.
   */
  ipython?: boolean;
  /**
   * Time budget for parsing one cell, in ms (for editors: a badly broken cell is then analysed
   * only up to where the parser got, see CellAnalysis.complete). Default: none, so results
   * never depend on machine load.
   */
  parseBudgetMs?: number;
  /**
   * Parse every statement, not only those that can matter (see relevance.ts). The findings
   * are the same; it is slower, and exists so tests and the benchmark can compare.
   */
  exhaustive?: boolean;
}

/** Why a finding is ignored: where the ignore was written and the reason given. */
export interface FindingIgnore {
  scope: 'line' | 'notebook';
  reason: string;
}

/** A finding before the catalog and the line index have been applied. */
export interface RawFinding {
  ruleId: string;
  from: number;
  to: number;
  fix?: Fix;
}
