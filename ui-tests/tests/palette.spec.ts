import { expect, test } from '@jupyterlab/galata';

import { shootBothThemes } from './helpers/screenshots';

test.describe('Command palette', () => {
  test('offers Check Sandbox, Show Findings and Show Effective Policy, not the gate benchmark', async ({
    page
  }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    const input = palette.locator('.lm-CommandPalette-input');
    await expect(input).toBeVisible();
    await input.fill('Warden');
    const items = palette.locator('.lm-CommandPalette-item');
    await expect(items.first()).toBeVisible();
    const labels = await items
      .locator('.lm-CommandPalette-itemLabel')
      .allTextContents();
    for (const wanted of [
      'Warden: Check Sandbox',
      'Warden: Show Findings',
      'Warden: Show Effective Policy'
    ]) {
      expect(labels).toContain(wanted);
    }
    expect(labels.join('\n')).not.toMatch(/Benchmark/i);
    // Not registered at all for users (the shortcuts editor lists every command).
    expect(
      await page.evaluate(() =>
        window.jupyterapp.commands.hasCommand('warden:benchmark-gate')
      )
    ).toBe(false);
    await shootBothThemes(page, 'palette-warden', undefined, async () => {
      if (!(await input.isVisible())) {
        await page.keyboard.press('Control+Shift+C');
      }
      await input.fill('Warden');
    });

    // Each entry does what it says.
    await input.fill('Warden: Show Findings');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('warden-findings-panel')).toBeVisible();
    await page.keyboard.press('Control+Shift+C');
    await input.fill('Warden: Check Sandbox');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('warden-sandbox-panel')).toBeVisible();
    await page.keyboard.press('Control+Shift+C');
    await input.fill('Warden: Show Effective Policy');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('warden-policy-view')).toBeVisible();
  });
});
