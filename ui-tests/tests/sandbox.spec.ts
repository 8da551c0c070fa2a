import { expect, test } from '@jupyterlab/galata';

import { shootBothThemes } from './helpers/screenshots';

test.describe('Sandbox report', () => {
  test('shows kernel and server checks with a score, and the badge shows the worst', async ({
    page
  }) => {
    await page.notebook.createNew('sandbox.ipynb');
    await page.notebook.setCell(0, 'code', 'print("kernel up")');
    await page.notebook.runCell(0);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('warden:check-sandbox')
    );
    const panel = page.getByTestId('warden-sandbox-panel');
    await expect(panel).toBeVisible();
    const kernel = panel.locator('section[data-report="kernel"]');
    await expect(kernel.locator('h4')).toHaveText(/score \d+\/100/, {
      timeout: 30000
    });
    // These machines run kernels as root: the probe must say so, with its fix.
    const root = kernel.locator('li[data-rule="kernel-runs-as-root"]');
    await expect(root).toHaveAttribute('data-status', 'fail');
    await expect(root).toContainText('runAsNonRoot');
    // The UI test server has no token: the server checks report it.
    const server = panel.locator('section[data-report="server"]');
    await expect(
      server.locator('li[data-rule="server-no-auth"]')
    ).toHaveAttribute('data-status', 'fail');
    // What was seen and how to fix it are separate blocks; the fix is for the admin.
    await expect(
      root.locator('.jp-WardenSandbox-seen dt').first()
    ).toBeVisible();
    await expect(root.locator('.jp-WardenSandbox-fix')).toContainText(
      'Fix (admin)'
    );
    // Title and button on one line, neither wrapped.
    const header = panel.locator('.jp-WardenSandbox-header');
    const [title, button] = await Promise.all([
      header.locator('h3').boundingBox(),
      header.getByRole('button', { name: 'Check again' }).boundingBox()
    ]);
    expect(
      Math.abs(title!.y + title!.height / 2 - (button!.y + button!.height / 2))
    ).toBeLessThan(4);
    expect(button!.height).toBeLessThan(30);
    await expect(panel.locator('.jp-WardenSandbox-whose')).toContainText(
      'your admin'
    );

    // The badge says whose job it is, and goes quiet once the user noted the report.
    const badge = page.getByTestId('warden-sandbox-badge');
    await expect(badge).toHaveText(/Sandbox \d+\/100 · critical · admin/);
    await expect(badge).toHaveAttribute('data-level', 'alarm');
    await expect(badge).toHaveAttribute('title', /admin/);
    await shootBothThemes(page, 'sandbox-report');
    await panel.getByRole('button', { name: 'Mark as noted' }).click();
    await expect(badge).toHaveAttribute('data-level', 'noted');
    await expect(badge).toHaveText(/^Sandbox \d+$/);
    await expect(panel.locator('.jp-WardenSandbox-noted')).toBeVisible();
    await shootBothThemes(page, 'sandbox-noted');
    // Still quiet after a fresh check: the same failing checks do not alarm again.
    await panel.getByRole('button', { name: 'Check again' }).click();
    await expect(kernel.locator('h4')).toHaveText(/score \d+\/100/);
    await expect(badge).toHaveAttribute('data-level', 'noted');
  });
});
