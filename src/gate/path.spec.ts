/**
 * Which path names a notebook in the gate's events (debug74): the open document's, which
 * follows renames, not the kernel session's, which keeps `Untitled.ipynb` when the notebook is
 * renamed while its session starts. Plain objects stand in for Lumino widgets.
 */
import { documentOfCell, notebookPath } from './path';

interface INode {
  parent: INode | null;
  context?: { path: string };
}

/** A notebook panel (document), its Notebook widget and one attached cell. */
function openNotebook(documentPath: string) {
  const panel: INode = { parent: null, context: { path: documentPath } };
  const notebook: INode = { parent: panel };
  const cell: INode = { parent: notebook };
  return { panel, notebook, cell };
}

/** The session as JupyterLab leaves it after a rename during its start. */
const staleSession = { path: 'Untitled.ipynb' };

describe('notebookPath', () => {
  it("names an attached cell's notebook by its document, not its stale session", () => {
    const { cell } = openNotebook('work/confirm.ipynb');
    expect(notebookPath({ cell, sessionContext: staleSession })).toBe(
      'work/confirm.ipynb'
    );
  });

  it('follows a rename made after the cell was handed to the gate', () => {
    const { panel, cell } = openNotebook('Untitled.ipynb');
    const place = { cell, sessionContext: staleSession };
    expect(notebookPath(place)).toBe('Untitled.ipynb');
    panel.context = { path: 'renamed.ipynb' };
    expect(notebookPath(place)).toBe('renamed.ipynb');
  });

  it('finds the document of a detached cell (windowing) from its notebook model', () => {
    const { panel } = openNotebook('long.ipynb');
    const model = {};
    const detached: INode = { parent: null };
    const find = (m: object) => (m === model ? (panel as any) : undefined);
    expect(
      notebookPath(
        { cell: detached, notebook: model, sessionContext: staleSession },
        find
      )
    ).toBe('long.ipynb');
  });

  it("falls back to the session's path when no document is known", () => {
    const detached: INode = { parent: null };
    expect(
      notebookPath(
        { cell: detached, notebook: {}, sessionContext: staleSession },
        () => undefined
      )
    ).toBe('Untitled.ipynb');
    expect(notebookPath({ cell: detached })).toBe('');
  });

  it('skips widgets without a document context on the way up', () => {
    const panel: INode = { parent: null, context: { path: 'a.ipynb' } };
    const middle: INode = { parent: panel, context: { path: '' } };
    const cell: INode = { parent: { parent: middle } };
    expect(documentOfCell(cell)).toBe(panel);
    expect(documentOfCell({ parent: null })).toBeUndefined();
  });
});
