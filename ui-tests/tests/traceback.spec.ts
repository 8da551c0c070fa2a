import { expect, test } from '@jupyterlab/galata';

import { removeAdminPolicy } from './helpers/admin-policy';
import { useAdminPolicy } from './helpers/notebook';
import { shootBothThemes } from './helpers/screenshots';

/**
 * Warden's own frames as IPython prints them (a path in the package, or the guard's code
 * name), and what a frame without source shows. The refusal's message may name the scanner
 * module (`python -m jupyterlab_warden.kernel.scan`): that is advice, not a frame.
 */
function expectNoWardenFrames(text: string): void {
  expect(text).not.toContain('jupyterlab_warden/');
  expect(text).not.toContain('<jupyterlab-warden>');
  expect(text).not.toContain('Could not get source');
}

test.describe('Tracebacks in a real kernel', () => {
  // Kernels, the confirm dialog and two themes: more than one default timeout on a busy box.
  test.slow();

  test.afterEach(() => removeAdminPolicy());

  test('a refused torch.load and a missing file show the user’s code, no Warden frame', async ({
    page,
    tmpPath
  }) => {
    // The static gate only warns, so the load reaches the kernel guard, which refuses it.
    await useAdminPolicy(page, 170, {
      'torch-load-weights-only-false': { action: 'warn' }
    });
    await page.notebook.createNew('traceback.ipynb');
    // A checkpoint that runs `touch` when unpickled (one line per statement: no indents).
    await page.notebook.setCell(
      0,
      'code',
      'import os, torch\nEvil = type("Evil", (), {"__reduce__": lambda self: (os.system, ("touch torch-marker.txt",))})\ntorch.save({"w": Evil()}, "evil.pt")'
    );
    await page.notebook.runCell(0);
    expect(await page.contents.fileExists(`${tmpPath}/evil.pt`)).toBe(true);

    await page.notebook.setCell(
      1,
      'code',
      'import torch\nmodel = torch.load("evil.pt", weights_only=False)'
    );
    await page.notebook.runCell(1);
    const refused =
      (await page.notebook.getCellTextOutput(1))?.join('\n') ?? '';
    expect(refused).toContain('WardenBlockedLoad');
    expect(refused).toContain('posix.system');
    // The traceback ends at the user's own line.
    expect(refused).toContain(
      'model = torch.load("evil.pt", weights_only=False)'
    );
    expectNoWardenFrames(refused);
    expect(await page.contents.fileExists(`${tmpPath}/torch-marker.txt`)).toBe(
      false
    );
    const cell = (await page.notebook.getCellLocator(1))!;
    await shootBothThemes(page, 'traceback-refused-load', cell);

    // A load Warden did not refuse fails as it would without Warden: no Warden frame either.
    await page.notebook.setCell(
      2,
      'code',
      'import torch\ntorch.load("missing.pt", weights_only=False)'
    );
    await page.notebook.runCell(2);
    const missing =
      (await page.notebook.getCellTextOutput(2))?.join('\n') ?? '';
    expect(missing).toContain('FileNotFoundError');
    expect(missing).toContain('missing.pt');
    expectNoWardenFrames(missing);
    await shootBothThemes(
      page,
      'traceback-missing-file',
      (await page.notebook.getCellLocator(2))!
    );
  });
});
