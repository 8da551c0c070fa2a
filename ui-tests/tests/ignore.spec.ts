import { expect, test } from '@jupyterlab/galata';

import { runCellNoWait, useAdminPolicy } from './helpers/notebook';
import { shootBothThemes } from './helpers/screenshots';

/** A load of our own pickle, on a lower line: the cell toolbar covers the first ones. */
const LOAD = 'import pickle\n\n\n\npickle.load(open("m.pkl", "rb"))';

test.describe('Ignoring a finding', () => {
  // Kernels, the confirm dialog and two themes: more than one default timeout on a busy box.
  test.slow();

  test('the quick fix writes the comment, the mark dims, and the gates no longer ask', async ({
    page
  }) => {
    // pickle.load asks for a confirmation; the admin lets an ignore lift a confirm.
    await useAdminPolicy(
      page,
      160,
      { 'pickle-load': { action: 'confirm' } },
      { ignore: { allowed_actions: ['warn', 'confirm'] } }
    );
    await page.notebook.createNew('ignore.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      'import pickle\npickle.dump({"a": 1}, open("m.pkl", "wb"))'
    );
    await page.notebook.runCell(0);
    // Running cell 0 added an empty cell 1 below it.
    await page.notebook.setCell(1, 'code', LOAD);
    const cell = (await page.notebook.getCellLocator(1))!;
    const mark = cell.locator('.jp-WardenDiagnostic-confirm').first();
    await expect(mark).toBeVisible();

    // Before: the gate asks.
    await runCellNoWait(page, 1);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('pickle');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);

    // The quick fix writes the comment and leaves the cursor where the reason goes.
    await cell.locator('.cm-content').click();
    await mark.hover();
    const tooltip = page.locator('.cm-tooltip:has(.jp-WardenHover)');
    await tooltip.getByRole('button', { name: /Ignore on this line/ }).click();
    await page.keyboard.type('mine');
    await expect(cell.locator('.cm-content')).toContainText(
      '# warden: ignore[pickle-load] mine'
    );

    // The wavy underline goes; the finding stays, dimmed, and says what silences it.
    await expect(cell.locator('.jp-WardenDiagnostic-confirm')).toHaveCount(0);
    const silenced = cell.locator('.jp-WardenDiagnostic-ignored').first();
    await expect(silenced).toBeVisible();
    const hoverSilenced = async () => {
      await page.mouse.move(0, 0);
      await silenced.hover();
      await expect(
        tooltip.locator('.jp-WardenHover-ignore-honoured')
      ).toBeVisible();
    };
    await hoverSilenced();
    await expect(tooltip.locator('.jp-WardenHover-ignore-honoured')).toHaveText(
      'Silenced by the comment `# warden: ignore[pickle-load] mine` on line 5. ' +
        'Running it is recorded as allowed by this ignore.'
    );
    await shootBothThemes(
      page,
      'ignore-silenced-hover',
      undefined,
      hoverSilenced
    );

    // The browser gate no longer asks, and the server gate (which sees only the code) agrees:
    // the cell runs and both record the ignore.
    await page.mouse.move(0, 0);
    // Only this run's events: a retry shares the server, and its event log, with the first try.
    const since = Date.now();
    await page.notebook.runCell(1);
    await expect(dialog).toHaveCount(0);
    expect((await page.notebook.getCellTextOutput(1))?.join('')).toContain(
      "{'a': 1}"
    );
    await expect
      .poll(
        async () => {
          const response = await page.request.get('/warden/events?limit=200');
          const rows = (await response.json()).events as any[];
          return rows
            .map(row => row.event)
            .filter(
              e =>
                Date.parse(e.time) >= since - 1000 &&
                e.rule_id === 'pickle-load' &&
                e.action === 'allowed' &&
                e.suppression?.scope === 'line'
            )
            .map(e => e.evidence?.gate ?? 'browser')
            .sort();
        },
        { timeout: 20000 }
      )
      // One event from each gate: the browser's and the server's (evidence.gate 'server').
      .toEqual(['browser', 'server']);
  });

  test('a notebook-wide ignore marks the finding but never changes what runs', async ({
    page
  }) => {
    await useAdminPolicy(
      page,
      161,
      { 'pickle-load': { action: 'confirm' } },
      { ignore: { allowed_actions: ['warn', 'confirm'] } }
    );
    await page.notebook.createNew('ignore-notebook.ipynb');
    await page.notebook.setCell(0, 'code', LOAD);
    await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as any;
      panel.content.model.setMetadata('warden', {
        ignore: [{ rule: 'pickle-load', reason: 'fixtures we made' }]
      });
    });
    const cell = (await page.notebook.getCellLocator(0))!;
    const mark = cell.locator('.jp-WardenDiagnostic-confirm').first();
    // The metadata is set after the cell was first analysed: the marks are analysed again
    // (debounced, slower on a busy machine), and a tooltip shows what was known when it
    // opened. Hover again until it shows the new analysis.
    const hover = async () => {
      await expect(async () => {
        await page.mouse.move(0, 0);
        await mark.hover();
        await expect(
          page.locator('.cm-tooltip .jp-WardenHover-ignore-refused')
        ).toBeVisible({ timeout: 2000 });
      }).toPass({ timeout: 20000 });
    };
    await expect(mark).toBeVisible();
    await hover();
    await expect(
      page.locator('.cm-tooltip .jp-WardenHover-ignore-refused')
    ).toContainText(
      "Not silenced by the notebook's ignore (metadata.warden.ignore: fixtures we made): " +
        'a notebook-wide ignore does not change what runs'
    );
    await shootBothThemes(page, 'ignore-notebook-wide-hover', undefined, hover);

    // The gate still asks: the server gate never sees notebook metadata, so neither honours it.
    await page.mouse.move(0, 0);
    await runCellNoWait(page, 0);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('pickle');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(cell.locator('.jp-OutputArea-output')).toContainText(
      'Not run'
    );
  });
});
