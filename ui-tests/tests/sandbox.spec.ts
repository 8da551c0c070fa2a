import { expect, test } from '@jupyterlab/galata';

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
    const badge = page.getByTestId('warden-sandbox-badge');
    await expect(badge).toHaveText(/Sandbox \d+\/100 · critical/);
    await page.screenshot({
      path: test.info().outputPath('sandbox-report.png')
    });
  });
});
