/**
 * Analysis of a notebook's code cells in order, each seeing the imports of the cells before it,
 * cached so that typing in one cell re-analyses only that cell (and the ones after it when the
 * edit changed what a name means), and the gate's look-up at run time is nearly free.
 */
import {
  analyzeCell,
  AnalyzerOptions,
  AnalyzerScope,
  CellAnalysis,
  EMPTY_SCOPE,
  Finding,
  sameScope
} from '../analyzer';

export interface ICellSource {
  id: string;
  source: string;
  isCode: boolean;
}

interface ICacheEntry {
  source: string;
  scopeBefore: AnalyzerScope;
  result: CellAnalysis;
}

export class NotebookAnalysis {
  private _cache = new Map<string, ICacheEntry>();
  private _options: AnalyzerOptions;

  constructor(options: AnalyzerOptions = {}) {
    this._options = options;
  }

  private _unbudgeted(): AnalyzerOptions {
    return { ...this._options, parseBudgetMs: undefined };
  }

  /** New options (e.g. trusted indexes from a new policy) invalidate every cell. */
  setOptions(options: AnalyzerOptions): void {
    this._options = options;
    this._cache.clear();
  }

  /**
   * Findings for the cells up to and including `untilId` (all cells when omitted), by cell id.
   * Cells after `untilId` are not analysed: the gate needs only what runs before.
   *
   * `complete`: the gate decides on these findings, so every cell up to `untilId` must be
   * analysed in full. The options' parse budget (there so that typing never stalls) cuts a
   * parse short when the page is busy (a GC pause, a starved CPU), and a call after the cut
   * then has no finding: a cell analysed only in part is analysed again, without the budget.
   */
  analyze(
    cells: readonly ICellSource[],
    untilId?: string,
    complete = false
  ): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    const live = new Set<string>();
    let scope = EMPTY_SCOPE;
    for (const cell of cells) {
      live.add(cell.id);
      if (cell.isCode) {
        let entry = this._cache.get(cell.id);
        if (
          !entry ||
          entry.source !== cell.source ||
          entry.scopeBefore !== scope ||
          (complete && !entry.result.complete)
        ) {
          const result = analyzeCell(
            cell.source,
            scope,
            complete ? this._unbudgeted() : this._options
          );
          if (complete && !result.complete) {
            // Cannot happen without a budget; never decide on part of a cell.
            throw new Error(`Warden could not analyse all of cell ${cell.id}`);
          }
          if (entry && sameScope(result.scopeAfter, entry.result.scopeAfter)) {
            // Same names as before the edit: keep the old object, so the cells after this
            // one still find their cached results (they are keyed by scope identity).
            result.scopeAfter = entry.result.scopeAfter;
          }
          entry = { source: cell.source, scopeBefore: scope, result };
          this._cache.set(cell.id, entry);
        }
        out.set(cell.id, entry.result.findings);
        scope = entry.result.scopeAfter;
      }
      if (cell.id === untilId) {
        return out;
      }
    }
    // Forget deleted cells.
    for (const id of this._cache.keys()) {
      if (!live.has(id)) {
        this._cache.delete(id);
      }
    }
    return out;
  }
}
