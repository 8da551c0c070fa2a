import { expect, test } from '@jupyterlab/galata';

import { shootBothThemes } from './helpers/screenshots';

test.describe('Hover on a Warden mark', () => {
  test('is anchored at the mark, bounded in width, in blocks, most severe first', async ({
    page
  }) => {
    await page.notebook.createNew('tooltip.ipynb');
    // One call, two findings: an unpinned revision (low) over the whole call and
    // trust_remote_code=True (high) on the keyword. Lower lines: the cell toolbar covers
    // the first ones.
    await page.notebook.setCell(
      0,
      'code',
      'from transformers import AutoModel\n\n\n\nmodel = AutoModel.from_pretrained("org/model", trust_remote_code=True)'
    );
    const cell = (await page.notebook.getCellLocator(0))!;
    const mark = cell
      .locator('.jp-WardenDiagnostic')
      .filter({ hasText: 'trust_remote_code' })
      .first();
    await expect(mark).toBeVisible();
    await mark.hover();
    const tooltip = page.locator('.cm-tooltip:has(.jp-WardenHover)');
    await expect(tooltip).toBeVisible();

    // Most severe first: the high finding above the low one.
    const cards = tooltip.locator('.jp-WardenHover');
    await expect(cards).toHaveCount(2);
    await expect(cards.nth(0)).toHaveAttribute(
      'data-rule',
      'hf-trust-remote-code'
    );
    await expect(cards.nth(0)).toHaveAttribute('data-severity', 'high');
    await expect(cards.nth(1)).toHaveAttribute(
      'data-rule',
      'hf-unpinned-revision'
    );

    // Title, explanation and what to do are separate blocks, not one paragraph.
    const first = cards.nth(0);
    await expect(first.locator('.jp-WardenHover-title')).toContainText(
      'trust_remote_code=True'
    );
    await expect(first.locator('.jp-WardenHover-why')).toContainText(
      'downloads Python files'
    );
    await expect(first.locator('.jp-WardenHover-fix')).toContainText(
      'What to do:'
    );
    const blocks = await first.evaluate(el =>
      ['title', 'why', 'fix'].map(
        part =>
          el.querySelector(`.jp-WardenHover-${part}`)!.getBoundingClientRect()
            .top
      )
    );
    expect(blocks[0]).toBeLessThan(blocks[1]);
    expect(blocks[1]).toBeLessThan(blocks[2]);

    // Bounded, and next to the mark: over it horizontally, right above or below it, and
    // never over the file browser on the left.
    const box = (await tooltip.boundingBox())!;
    const at = (await mark.boundingBox())!;
    const notebook = (await page.locator('.jp-NotebookPanel').boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.width).toBeLessThanOrEqual(480);
    expect(box.width).toBeLessThan(viewport.width / 2);
    expect(box.x).toBeGreaterThanOrEqual(notebook.x);
    expect(box.x).toBeLessThanOrEqual(at.x + at.width);
    expect(box.x + box.width).toBeGreaterThanOrEqual(at.x);
    const gap = Math.min(
      Math.abs(box.y + box.height - at.y),
      Math.abs(box.y - (at.y + at.height))
    );
    expect(gap).toBeLessThan(12);
    // Still in command mode, no click into the editor: the theme change closes the hover
    // (its new CSS moves the layout under the resting pointer, and CodeMirror closes a hover
    // the pointer left); a hover opens on the next mouse move, as a user's hand makes one.
    // Hovering the same point again would send no mousemove at all, so move away first.
    expect(
      await page.evaluate(
        () => (window.jupyterapp.shell.currentWidget as any).content.mode
      )
    ).toBe('command');
    await shootBothThemes(page, 'hover-two-findings', undefined, async () => {
      await page.mouse.move(0, 0);
      await mark.hover();
      await expect(tooltip).toBeVisible();
    });
  });
});
