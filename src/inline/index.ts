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

import { analyzeCell } from '../analyzer';
import { IWardenFindings } from '../findings/tokens';
import { IWardenPolicy } from '../policy';
import { wardenLinter } from './extension';
import {
  INLINE_PLUGIN_ID,
  InlineSettings,
  IWardenInlineSettings
} from './settings';

export { inlineSettingsPlugin, IWardenInlineSettings } from './settings';

/** Notebook and console code cells (IPython) and .py files. */
const PYTHON_MIME = new Set(['text/x-ipython', 'text/x-python']);

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
    registry.addExtension({
      name: INLINE_PLUGIN_ID,
      factory: ({ model }) => {
        return EditorExtensionRegistry.createImmutableExtension(
          wardenLinter(
            view => {
              if (
                !settings.current.inlineWarnings ||
                !PYTHON_MIME.has(model.mimeType)
              ) {
                return null;
              }
              let nb = owners.get(model);
              if (nb === undefined && notebooks) {
                nb = notebookOf(notebooks, model);
                owners.set(model, nb);
              }
              const cellId = (model as any).id as string | undefined;
              if (nb && cellId) {
                return findings.registry.notebook(nb, cellId).get(cellId) ?? [];
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
            ruleId => policy.decide(ruleId).action
          )
        );
      }
    });
  }
};
