import { expect, test } from '@jupyterlab/galata';

import { shootBothThemes } from './helpers/screenshots';

test.describe('Kernel guard', () => {
  test('an obfuscated malicious pickle is stopped in the kernel and reported', async ({
    page,
    tmpPath
  }) => {
    await page.notebook.createNew('guard.ipynb');
    // A protocol 0 pickle that calls os.system when loaded (typed on one line: no indents).
    await page.notebook.setCell(
      0,
      'code',
      'payload = b"cposix\\nsystem\\n(Vtouch guard-marker.txt\\ntR."'
    );
    await page.notebook.runCell(0);
    // Loaded through an obfuscated call, so the static gate only warns.
    await page.notebook.setCell(
      1,
      'code',
      "getattr(__import__('pick' + 'le'), 'lo' + 'ads')(payload)"
    );
    await page.notebook.runCell(1);
    const output = (await page.notebook.getCellTextOutput(1))?.join('\n') ?? '';
    expect(output).toContain('Warden');
    expect(output).toContain('posix.system');
    expect(await page.contents.fileExists(`${tmpPath}/guard-marker.txt`)).toBe(
      false
    );
    // The guard's event reaches the page: one toast for the load (the gate's warning for the
    // same cell merged into it), short, with the full text behind "Details".
    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'Warden blocked' });
    await expect(toast).toBeVisible({ timeout: 20000 });
    await expect(
      page.locator('.Toastify__toast').filter({ hasText: 'Warden' })
    ).toHaveCount(1);
    await shootBothThemes(page, 'guard-toast');
    await toast.getByRole('button', { name: 'Details' }).click();
    const details = page.locator('.jp-Dialog .jp-WardenToastDetails');
    await expect(details).toContainText('posix.system');
    await expect(details).toContainText('guard.ipynb · cell 2');
    await shootBothThemes(page, 'guard-toast-details', undefined, async () => {
      await expect(details).toBeVisible();
    });
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Close' })
      .click();
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('warden:show-findings')
    );
    // The kernel guard's row names the notebook, cell and time, and says it was blocked.
    const runtime = page.locator(
      '.jp-WardenFindings-row[data-layer="runtime"]'
    );
    await expect(runtime.first()).toHaveAttribute('data-outcome', 'blocked');
    await expect(runtime.first()).toContainText('guard.ipynb · cell 2');
    await runtime.first().click();
    await expect(
      page.locator('.jp-WardenFindings-details:visible')
    ).toContainText('posix.system');
    await shootBothThemes(page, 'guard-findings-panel');
  });

  test('a notebook closed and opened again still gets the guard toast', async ({
    page,
    tmpPath
  }) => {
    // The reopened notebook connects anew to the same kernel: that connection needs its own
    // comm target and bootstrap, or the guard's events are dropped (debug72).
    await page.notebook.createNew('reopened.ipynb');
    await page.notebook.setCell(0, 'code', 'x = 1');
    await page.notebook.runCell(0);
    await page.notebook.save();
    await page.notebook.close();
    await page.notebook.openByPath(`${tmpPath}/reopened.ipynb`);
    await page.notebook.activate('reopened.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      'payload = b"cposix\\nsystem\\n(Vtouch guard-marker.txt\\ntR."'
    );
    await page.notebook.runCell(0);
    await page.notebook.setCell(
      1,
      'code',
      "getattr(__import__('pick' + 'le'), 'lo' + 'ads')(payload)"
    );
    await page.notebook.runCell(1);
    const output = (await page.notebook.getCellTextOutput(1))?.join('\n') ?? '';
    expect(output).toContain('WardenBlockedLoad');
    await expect(
      page.locator('.Toastify__toast').filter({ hasText: 'Warden blocked' })
    ).toBeVisible({ timeout: 20000 });
  });
});
