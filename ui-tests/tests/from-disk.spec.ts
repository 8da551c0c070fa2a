import { expect, test } from '@jupyterlab/galata';

import { shootBothThemes } from './helpers/screenshots';

/** A notebook as tools write it: a kernelspec, no language_info. */
function toolWrittenNotebook(source: string): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    cells: [
      {
        id: 'load-cell',
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source
      }
    ]
  });
}

test.describe('A notebook opened from disk', () => {
  test('kernelspec but no language_info: underlined at once, before any kernel replies', async ({
    page,
    tmpPath
  }) => {
    const path = `${tmpPath}/from-a-tool.ipynb`;
    await page.contents.uploadContent(
      toolWrittenNotebook('import torch\nmodel = torch.load("model.pt")\n'),
      'text',
      path
    );
    // Hold the session request: no kernel, so JupyterLab never learns language_info.
    const held: (() => Promise<void>)[] = [];
    await page.route('**/api/sessions**', route =>
      route.request().method() === 'POST'
        ? void held.push(() => route.continue())
        : route.continue()
    );
    await page.evaluate(
      p =>
        void window.jupyterapp.commands.execute('docmanager:open', { path: p }),
      path
    );
    const cell = page.locator('.jp-Notebook .jp-Cell').first();
    const underline = cell.locator('.jp-WardenDiagnostic');
    await expect(underline.first()).toBeVisible({ timeout: 20000 });
    expect((await underline.allTextContents()).join('')).toBe(
      'torch.load("model.pt")'
    );
    // Nothing was edited, and no language is known yet (JupyterLab fills in an empty
    // language_info): the kernelspec decided.
    const state = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as any;
      const model = panel.content.model;
      return {
        language: model.getMetadata('language_info')?.name ?? '',
        mimeType: model.cells.get(0).mimeType
      };
    });
    expect(state).toEqual({ language: '', mimeType: 'text/plain' });
    await shootBothThemes(page, 'from-disk-before-kernel');

    // Let the kernel start: language_info arrives, the cell's mime type changes, the marks stay.
    await page.unroute('**/api/sessions**');
    await Promise.all(held.map(go => go()));
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              (
                window.jupyterapp.shell.currentWidget as any
              ).content.model.cells.get(0).mimeType
          ),
        { timeout: 30000 }
      )
      .toBe('text/x-ipython');
    await expect(underline.first()).toBeVisible();
    await shootBothThemes(page, 'from-disk-with-kernel');
  });
});
