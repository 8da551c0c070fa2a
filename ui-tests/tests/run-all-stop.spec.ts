import { expect, test } from '@jupyterlab/galata';

import { runAllNoWait } from './helpers/notebook';
import { shootBothThemes } from './helpers/screenshots';

test.describe('Run All', () => {
  // torch imported in a guarded kernel, then two more runs: 43 s of the 90 s default on a quiet
  // box, over it on a busy one (a CI run beside other work timed out here with nothing wrong).
  test.slow();
  test('stops at the first cell the kernel guard fails: no later dialog, no later cell', async ({
    page,
    tmpPath
  }) => {
    await page.notebook.createNew('run-all-guard.ipynb');
    // 0: a protocol 0 pickle that runs `touch` when loaded (one line: typed without indents).
    await page.notebook.setCell(
      0,
      'code',
      'payload = b"cposix\\nsystem\\n(Vtouch payload-marker.txt\\ntR."'
    );
    // 1: the load: the static gate only warns, the kernel guard refuses it with an error.
    await page.notebook.addCell('code', 'import pickle\npickle.loads(payload)');
    // 2: a cell the policy wants confirmed (torch.hub.load): its dialog must never appear.
    await page.notebook.addCell(
      'code',
      "open('confirm-marker.txt', 'w').write('ran')\nif False:\n    import torch\n    torch.hub.load('owner/repo', 'model')"
    );
    // 3: a harmless cell after it must not run either.
    await page.notebook.addCell(
      'code',
      "open('later-marker.txt', 'w').write('ran')"
    );

    await runAllNoWait(page);
    const failed = await page.notebook.getCellLocator(1);
    await expect(failed!.locator('.jp-OutputArea-output')).toContainText(
      'posix.system',
      { timeout: 30000 }
    );
    // The run is over once the last cell is no longer queued or running.
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const nb = (window.jupyterapp.shell.currentWidget as any).content;
            return nb.widgets.map((c: any) => c.model.executionState ?? null);
          }),
        { timeout: 30000 }
      )
      .not.toContain('running');
    // A dialog would have been opened right after cell 1 failed; none is there.
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    for (const marker of [
      'payload-marker.txt',
      'confirm-marker.txt',
      'later-marker.txt'
    ]) {
      expect(await page.contents.fileExists(`${tmpPath}/${marker}`)).toBe(
        false
      );
    }
    const counts = await page.evaluate(() => {
      const nb = (window.jupyterapp.shell.currentWidget as any).content;
      return nb.widgets.map((c: any) => c.model.executionCount ?? null);
    });
    expect(counts[0]).not.toBeNull();
    expect(counts[1]).not.toBeNull();
    expect(counts.slice(2)).toEqual([null, null]);
    await shootBothThemes(page, 'run-all-stopped');

    // The same cells run on their own afterwards: the stop belonged to that run only.
    await page.notebook.selectCells(3);
    await page.notebook.runCell(3);
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/later-marker.txt`), {
        timeout: 20000
      })
      .toBe(true);
  });
});
