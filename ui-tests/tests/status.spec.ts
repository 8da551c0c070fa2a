import { expect, test } from '@jupyterlab/galata';

test.describe('Warden foundation', () => {
  test('status bar shows Warden and the policy source', async ({ page }) => {
    const item = page.getByTestId('warden-status');
    await expect(item).toHaveText(/Warden: active · policy: built-in/);
  });

  test('a notebook cell runs in a real kernel', async ({ page, tmpPath }) => {
    await page.notebook.createNew('run.ipynb');
    await page.notebook.setCell(0, 'code', 'print(6 * 7)');
    await page.notebook.runCell(0);
    const output = await page.notebook.getCellTextOutput(0);
    expect(output?.[0]).toContain('42');
    await expect(page.getByTestId('warden-status')).toBeVisible();
  });
});
