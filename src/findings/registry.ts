/**
 * Findings of every open notebook and console, kept current as cells change. The inline
 * diagnostics, the gate, the findings panel and the status bar all read from here, so a cell
 * is analysed once per change.
 */
import { ICellModel } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import {
  AnalyzerOptions,
  Finding,
  notebookIgnores,
  optionsFromPolicy,
  type PolicyTrustedSources
} from '../analyzer';
import { IWardenEvent } from '../events/event';
import { ICellSource, NotebookAnalysis } from './notebook-analysis';

export class FindingsRegistry {
  private _analyses = new WeakMap<
    object,
    { analysis: NotebookAnalysis; version: number; ignoresKey: string }
  >();
  private _consoleHistory = new WeakMap<object, ICellSource[]>();
  private _sources = new WeakMap<ICellModel, string>();
  private _watched = new WeakSet<ICellModel>();
  private _options: AnalyzerOptions = {};
  private _version = 0;
  private _changed = new Signal<this, void>(this);

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Analyzer options from the policy's trusted sources. */
  setPolicy(effective: PolicyTrustedSources | null): void {
    // A pathological cell stops parsing after 50 ms instead of stalling typing or Run All.
    this._options = {
      ...(effective ? optionsFromPolicy(effective) : {}),
      parseBudgetMs: 50
    };
    this._version++;
    this._changed.emit();
  }

  /**
   * The analysis of one notebook or console; `ignores` are the notebook's
   * metadata.warden.ignore (a change of them re-analyses the notebook).
   */
  private _analysis(
    owner: object,
    ignores?: Map<string, string>
  ): NotebookAnalysis {
    let entry = this._analyses.get(owner);
    const ignoresKey = ignores ? JSON.stringify([...ignores]) : '';
    if (
      !entry ||
      entry.version !== this._version ||
      entry.ignoresKey !== ignoresKey
    ) {
      entry = {
        analysis: new NotebookAnalysis(
          ignores && ignores.size > 0
            ? { ...this._options, notebookIgnores: ignores }
            : this._options
        ),
        version: this._version,
        ignoresKey
      };
      this._analyses.set(owner, entry);
    }
    return entry.analysis;
  }

  /**
   * Findings of a notebook's code cells, up to `untilId` when given. `complete` (the gate):
   * every cell analysed in full, whatever the parse budget (NotebookAnalysis.analyze).
   */
  notebook(
    model: INotebookModel,
    untilId?: string,
    complete = false
  ): Map<string, Finding[]> {
    const cells: ICellSource[] = [];
    for (const cell of model.cells) {
      cells.push({
        id: cell.id,
        source: this._sourceOf(cell),
        isCode: cell.type === 'code'
      });
      if (cell.id === untilId) {
        break;
      }
    }
    // Notebook-wide ignores (`metadata.warden.ignore`): the gate decides with the policy.
    const ignores = notebookIgnores({
      warden: model.getMetadata?.('warden')
    });
    return this._analysis(model, ignores).analyze(cells, untilId, complete);
  }

  /**
   * A cell's text, cached until the cell changes. Run All asks for the cells before each cell
   * in turn: reading every source from the shared model each time made that quadratic.
   */
  private _sourceOf(cell: ICellModel): string {
    let source = this._sources.get(cell);
    if (source === undefined) {
      source = cell.sharedModel.getSource();
      this._sources.set(cell, source);
      if (!this._watched.has(cell)) {
        this._watched.add(cell);
        cell.sharedModel.changed.connect(() => this._sources.delete(cell));
      }
    }
    return source;
  }

  /** Findings of a console's prompt, seeing the imports of the inputs it already ran. */
  consoleInput(
    owner: object,
    id: string,
    source: string,
    complete = false
  ): Finding[] {
    const history = this._consoleHistory.get(owner) ?? [];
    const cells = [...history, { id, source, isCode: true }];
    return (
      this._analysis(owner).analyze(cells, undefined, complete).get(id) ?? []
    );
  }

  consoleRan(owner: object, id: string, source: string): void {
    const history = this._consoleHistory.get(owner) ?? [];
    history.push({ id: `${id}#${history.length}`, source, isCode: true });
    this._consoleHistory.set(owner, history);
  }

  private _decisions = new Map<string, IWardenEvent>();

  /** The gate decided for a static finding (its event): the panel shows the outcome. */
  recordDecision(event: IWardenEvent): void {
    const cellId = event.location?.cell_id;
    if (event.kind !== 'static' || !cellId) {
      return;
    }
    this._decisions.set(
      decisionKey(cellId, event.rule_id, event.location?.line),
      event
    );
    if (this._decisions.size > 2000) {
      this._decisions.delete(this._decisions.keys().next().value!);
    }
    this._changed.emit();
  }

  /** The gate's last decision for a finding of a cell, if the cell ran. */
  lastDecision(
    cellId: string,
    ruleId: string,
    line: number
  ): IWardenEvent | undefined {
    return this._decisions.get(decisionKey(cellId, ruleId, line));
  }

  /** What the kernel guards reported, newest last (bounded: the server keeps them all). */
  readonly runtimeEvents: IWardenEvent[] = [];

  addRuntimeEvent(event: IWardenEvent): void {
    this.runtimeEvents.push(event);
    if (this.runtimeEvents.length > 200) {
      this.runtimeEvents.shift();
    }
    this._changed.emit();
  }

  /** Tell listeners (panel, status) that findings may have changed. */
  notify(): void {
    this._changed.emit();
  }
}

function decisionKey(
  cellId: string,
  ruleId: string,
  line: number | undefined
): string {
  return `${cellId}\u241f${ruleId}\u241f${line ?? 0}`;
}
