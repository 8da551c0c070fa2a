import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';

import { writeAdminPolicy } from './admin-policy';

/** Install an admin policy and wait until the page has picked it up. */
export async function useAdminPolicy(
  page: IJupyterLabPageFixture,
  revision: number,
  rules: Record<string, { action?: string; severity?: string }>,
  extra: Record<string, unknown> = {}
): Promise<void> {
  writeAdminPolicy({ schema_version: 1, revision, rules, ...extra });
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('warden:show-policy')
  );
  await expect(page.getByTestId('warden-policy-view').locator('h2')).toHaveText(
    new RegExp(`revision ${revision}\\b`),
    { timeout: 20000 }
  );
  await page.activity.activateTab('warden-policy').catch(() => undefined);
  await page.evaluate(() => {
    const shell = window.jupyterapp.shell as any;
    for (const widget of [...shell.widgets('main')]) {
      if (widget.id === 'warden-policy') {
        widget.close();
      }
    }
  });
}

/** Type `source` into cell `index` (replacing what is there). */
export async function setCode(
  page: IJupyterLabPageFixture,
  index: number,
  source: string
): Promise<void> {
  await page.notebook.setCell(index, 'code', source);
}

/**
 * Run cell `index` without waiting for it to finish: Galata's runCell waits for an execution
 * that a blocked cell never has.
 */
export async function runCellNoWait(
  page: IJupyterLabPageFixture,
  index: number
): Promise<void> {
  await page.notebook.selectCells(index);
  await page.evaluate(
    () => void window.jupyterapp.commands.execute('notebook:run-cell')
  );
}

/** Run all cells without waiting (Run All with a blocked cell never finishes every cell). */
export async function runAllNoWait(
  page: IJupyterLabPageFixture
): Promise<void> {
  await page.evaluate(
    () => void window.jupyterapp.commands.execute('notebook:run-all-cells')
  );
}
