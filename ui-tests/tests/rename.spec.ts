import { expect, test } from '@jupyterlab/galata';

import { removeAdminPolicy } from './helpers/admin-policy';
import { runCellNoWait, useAdminPolicy } from './helpers/notebook';

/** A new notebook's file: one cell the policy blocks, a Python kernelspec. */
function untitledNotebook(source: string): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    cells: [
      {
        id: 'renamed-cell',
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source
      }
    ]
  });
}

test.describe('A notebook renamed while its kernel session starts', () => {
  test.afterEach(() => removeAdminPolicy());

  // debug74: JupyterLab moves a session along on a rename only if the session exists, so the
  // session keeps Untitled.ipynb; the gate's events must carry the name the user sees.
  test("the gate's events name it by its new path, not its session's", async ({
    page,
    tmpPath
  }) => {
    await useAdminPolicy(page, 74, { 'pickle-load': { action: 'block' } });
    const untitled = `${tmpPath}/Untitled.ipynb`;
    const renamed = `${tmpPath}/renamed-during-start.ipynb`;
    await page.contents.uploadContent(
      untitledNotebook("import pickle\npickle.loads(b'')"),
      'text',
      untitled
    );
    // Hold the session request: the rename comes while the session is starting.
    const held: (() => Promise<void>)[] = [];
    await page.route('**/api/sessions**', route =>
      route.request().method() === 'POST'
        ? void held.push(() => route.continue())
        : route.continue()
    );
    await page.evaluate(
      p =>
        void window.jupyterapp.commands.execute('docmanager:open', { path: p }),
      untitled
    );
    await expect(page.locator('.jp-Notebook .jp-Cell').first()).toBeVisible({
      timeout: 20000
    });
    await expect.poll(() => held.length, { timeout: 20000 }).toBe(1);
    // Rename through the page's contents manager, as the file browser does.
    await page.evaluate(
      ([from, to]) =>
        window.jupyterapp.serviceManager.contents.rename(from, to),
      [untitled, renamed]
    );
    const paths = () =>
      page.evaluate(() => {
        const panel = window.jupyterapp.shell.currentWidget as any;
        return {
          document: panel.context.path as string,
          session: panel.sessionContext.path as string,
          kernel: (panel.sessionContext.session?.kernel?.status ?? '') as string
        };
      });
    await expect
      .poll(async () => (await paths()).document, { timeout: 20000 })
      .toBe(renamed);

    // Let the session start, under the old name.
    await page.unroute('**/api/sessions**');
    await Promise.all(held.map(go => go()));
    await expect
      .poll(async () => (await paths()).kernel, { timeout: 60000 })
      .toBe('idle');
    // The race really happened: the session kept the old name.
    expect(await paths()).toMatchObject({
      document: renamed,
      session: untitled
    });

    await runCellNoWait(page, 0);
    const cell = await page.notebook.getCellLocator(0);
    await expect(cell!.locator('.jp-OutputArea-output')).toContainText(
      'blocked this cell',
      { timeout: 30000 }
    );

    // The lab server's event store has the block under the new name, and nothing under the old
    // (the store outlives a test: only this test's folder counts).
    const stored = async () => {
      const response = await page.request.get('/warden/events?limit=200');
      const body = await response.json();
      return body.events
        .map((row: any) => row.event)
        .filter(
          (e: any) =>
            e.rule_id === 'pickle-load' &&
            e.location?.cell_id === 'renamed-cell' &&
            String(e.location?.path).startsWith(`${tmpPath}/`)
        )
        .map((e: any) => [e.action, e.location.path]);
    };
    await expect
      .poll(stored, { timeout: 20000 })
      .toEqual([['blocked', renamed]]);
  });
});
