import { expect, test } from '@jupyterlab/galata';

import { removeAdminPolicy, writeAdminPolicy } from './helpers/admin-policy';

test.describe('Admin-installed lab policy', () => {
  test.afterEach(() => removeAdminPolicy());

  test('an admin policy that blocks a rule shows in the status bar and the policy view', async ({
    page
  }) => {
    const status = page.getByTestId('warden-status');
    await expect(status).toHaveText(/policy: built-in/);
    await status.click();
    const view = page.getByTestId('warden-policy-view');
    await expect(view.locator('h2')).toHaveText(/Policy from built-in/);

    // The admin installs a policy; the user does nothing.
    writeAdminPolicy({
      schema_version: 1,
      revision: 42,
      rules: { 'torch-load-unsafe': { action: 'block' } }
    });
    await expect(status).toHaveText(/policy: admin/, { timeout: 20000 });
    await expect(view.locator('h2')).toHaveText(
      /Policy from admin, revision 42/
    );
    const row = view.locator('tr[data-rule="torch-load-unsafe"]');
    await expect(row.locator('td').nth(2)).toHaveText('block');
    await expect(row.locator('td').nth(4)).toHaveText('admin');
    await page.screenshot({
      path: test.info().outputPath('policy-admin-block.png')
    });

    // A broken file keeps the last good policy and says so.
    writeAdminPolicy('{ not json');
    await expect(status).toHaveText(/policy error/, { timeout: 20000 });
    await expect(row.locator('td').nth(2)).toHaveText('block');
    await expect(view.locator('.jp-WardenPolicyView-error')).toContainText(
      'not valid JSON'
    );
    await page.screenshot({
      path: test.info().outputPath('policy-admin-broken.png')
    });
  });
});
