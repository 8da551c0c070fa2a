/**
 * The name the gate gives a notebook in its events, records and toasts: the path of the
 * document the user has open. Not its kernel session's path: JupyterLab moves a session along
 * on a rename only if the session already exists, so a notebook renamed while its session
 * starts keeps `Untitled.ipynb` in its session for good (debug74). The document's
 * `context.path` follows every rename.
 *
 * No JupyterLab runtime imports: jest tests it with plain objects.
 */

/** What the gate needs of an open document (a NotebookPanel, any DocumentWidget). */
export interface IOpenDocument {
  readonly context: { readonly path: string };
}

/** Finds the open document of a notebook model (JupyterLab's notebook tracker). */
export type DocumentFinder = (model: object) => IOpenDocument | undefined;

/** A widget's place in the widget tree (Lumino's `Widget.parent`). */
interface IWidgetNode {
  readonly parent: IWidgetNode | null;
}

/** Where a cell to name was run from: the notebook executor's options. */
export interface ICellPlace {
  cell: IWidgetNode;
  /** The notebook model (absent for a console). */
  notebook?: object;
  sessionContext?: { readonly path: string };
}

function isOpenDocument(widget: object): widget is IOpenDocument {
  const context = (widget as Partial<IOpenDocument>).context;
  return typeof context?.path === 'string' && context.path !== '';
}

/**
 * The document widget holding `cell`, found up its widget tree. Only while the cell is
 * attached: a notebook windowed in 'full' mode detaches the cells scrolled out of view.
 */
export function documentOfCell(cell: IWidgetNode): IOpenDocument | undefined {
  for (let widget = cell.parent; widget; widget = widget.parent) {
    if (isOpenDocument(widget)) {
      return widget;
    }
  }
  return undefined;
}

/**
 * The path to name a notebook's cell by, read each time it is needed (a rename may come while
 * the gate waits for the kernel or for the user): its open document's, found from the cell or
 * else from the notebook model; only when neither is known, its session's (a console's name).
 */
export function notebookPath(place: ICellPlace, find?: DocumentFinder): string {
  const document =
    documentOfCell(place.cell) ??
    (place.notebook && find ? find(place.notebook) : undefined);
  if (document && isOpenDocument(document)) {
    return document.context.path;
  }
  return place.sessionContext?.path ?? '';
}
