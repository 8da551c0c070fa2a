import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { CodeEditor } from '@jupyterlab/codeeditor';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry
} from '@jupyterlab/codemirror';
import { IConsoleTracker } from '@jupyterlab/console';
import { INotebookModel, INotebookTracker } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import { analyzeCell, Finding } from '../analyzer';
import { editorIsPython } from '../findings/language';
import { IWardenFindings } from '../findings/tokens';
import { IWardenPolicy } from '../policy';
import { wardenLinter } from './extension';
import {
  INLINE_PLUGIN_ID,
  InlineSettings,
  IWardenInlineSettings
} from './settings';

export { inlineSettingsPlugin, IWardenInlineSettings } from './settings';

/** Which notebook holds a cell model (scanned on a miss, then remembered). */
function notebookOf(
  tracker: INotebookTracker,
  model: CodeEditor.IModel
): INotebookModel | null {
  for (const panel of tracker.filter(() => true)) {
    const nb = panel.content.model;
    if (!nb) {
      continue;
    }
    for (const cell of nb.cells) {
      if (cell === (model as any)) {
        return nb;
      }
    }
  }
  return null;
}

/** One empty list, so that "still nothing" is the same array and needs no re-lint. */
const NONE: readonly Finding[] = [];

/** How long a notebook's text must rest before its other cells are re-linted. */
const SETTLE_MS = 300;

/**
 * Emitted once a notebook's content or metadata has rested after a change: an edit in one cell
 * can change what another cell's names mean, and a kernelspec can arrive after the cells.
 */
class NotebookSettled {
  private _signals = new WeakMap<
    INotebookModel,
    Signal<INotebookModel, void>
  >();

  of(nb: INotebookModel): ISignal<INotebookModel, void> {
    let signal = this._signals.get(nb);
    if (!signal) {
      const settled = new Signal<INotebookModel, void>(nb);
      signal = settled;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const soon = () => {
        clearTimeout(timer);
        timer = setTimeout(() => settled.emit(), SETTLE_MS);
      };
      nb.contentChanged.connect(soon);
      nb.metadataChanged.connect(soon);
      this._signals.set(nb, signal);
    }
    return signal;
  }
}

export const inlinePlugin: JupyterFrontEndPlugin<void> = {
  id: INLINE_PLUGIN_ID,
  description:
    'Underlines unsafe model loading in cells and Python files, with quick fixes.',
  autoStart: true,
  requires: [
    IEditorExtensionRegistry,
    IWardenFindings,
    IWardenPolicy,
    IWardenInlineSettings
  ],
  optional: [INotebookTracker, IConsoleTracker],
  activate: (
    app: JupyterFrontEnd,
    registry: IEditorExtensionRegistry,
    findings: IWardenFindings,
    policy: IWardenPolicy,
    settings: InlineSettings,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null
  ) => {
    const owners = new WeakMap<CodeEditor.IModel, INotebookModel | null>();
    const ownerOf = (model: CodeEditor.IModel) => {
      let nb = owners.get(model);
      if (!nb && notebooks) {
        nb = notebookOf(notebooks, model);
        owners.set(model, nb);
      }
      return nb ?? null;
    };
    const settled = new NotebookSettled();
    registry.addExtension({
      name: INLINE_PLUGIN_ID,
      factory: ({ model }) => {
        return EditorExtensionRegistry.createImmutableExtension(
          wardenLinter(
            view => {
              const nb = ownerOf(model);
              if (
                !settings.current.inlineWarnings ||
                !editorIsPython(model.mimeType, nb)
              ) {
                return null;
              }
              const cellId = (model as any).id as string | undefined;
              if (nb && cellId) {
                return (
                  findings.registry.notebook(nb, cellId).get(cellId) ?? NONE
                );
              }
              const console = consoles?.find(
                widget => widget.console.promptCell?.model === (model as any)
              );
              if (console && cellId) {
                return findings.registry.consoleInput(
                  console.console.sessionContext,
                  cellId,
                  view.state.doc.toString()
                );
              }
              return analyzeCell(view.state.doc.toString()).findings;
            },
            ruleId => policy.decide(ruleId),
            refresh => {
              const force = () => refresh(true);
              const check = () => refresh(false);
              const nb = ownerOf(model);
              // A new language or setting turns the findings on or off (null <-> array): a
              // check is enough. A new policy keeps the findings but changes their actions.
              model.mimeTypeChanged.connect(check);
              settings.changed.connect(check);
              findings.registry.changed.connect(check);
              policy.changed.connect(force);
              if (nb) {
                settled.of(nb).connect(check);
              }
              return () => {
                model.mimeTypeChanged.disconnect(check);
                settings.changed.disconnect(check);
                findings.registry.changed.disconnect(check);
                policy.changed.disconnect(force);
                if (nb) {
                  settled.of(nb).disconnect(check);
                }
              };
            },
            () => policy.reply?.effective.ignore
          )
        );
      }
    });
  }
};
