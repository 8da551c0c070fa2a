import type { INotebookModel } from '@jupyterlab/notebook';
import { FindingsRegistry } from './registry';

/** The parts of a notebook model the registry reads. */
function fakeNotebook(sources: string[], warden?: unknown) {
  const metadata: Record<string, unknown> = { warden };
  return {
    cells: sources.map((source, i) => ({
      id: `c${i}`,
      type: 'code',
      sharedModel: { getSource: () => source, changed: { connect: () => true } }
    })),
    getMetadata: (key: string) => metadata[key],
    setWarden: (value: unknown) => (metadata.warden = value)
  };
}

it("marks findings the notebook's metadata.warden.ignore names, and follows its changes", () => {
  const registry = new FindingsRegistry();
  const nb = fakeNotebook(['import pickle\nx = pickle.loads(b)'], {
    ignore: [{ rule: 'pickle-load', reason: 'fixtures made in cell 1' }]
  });
  const model = nb as unknown as INotebookModel;
  expect(registry.notebook(model).get('c0')![0].ignored).toEqual({
    scope: 'notebook',
    reason: 'fixtures made in cell 1'
  });
  nb.setWarden(undefined);
  expect(registry.notebook(model).get('c0')![0].ignored).toBeUndefined();
});
