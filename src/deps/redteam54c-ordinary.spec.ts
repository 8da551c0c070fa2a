/**
 * Red team 54c R54c-1 (MED, static twin of a kernel false refusal): `!jupyter nbconvert --to
 * script nb.ipynb` (and `jupytext --to script`) is reported high install-unreadable, "script
 * (with no command given) reads commands from its input": the format word after `--to` of a
 * program Warden has no table for is read as util-linux's `script` started with no command.
 * The kernel twin: tests/deps/test_redteam54c_ordinary.py.
 */
import { notebookRules } from '../testing/scan-fixture';

describe('red team 54c R54c-1: a format word named like a program', () => {
  it('control: the same conversion to html is clean', () => {
    expect(
      notebookRules('rt54c-', ['!jupyter nbconvert --to html analysis.ipynb'])
    ).toEqual([]);
  });

  it.each([
    '!jupyter nbconvert --to script analysis.ipynb',
    '!jupyter nbconvert --to script --stdout analysis.ipynb',
    '!jupytext --to script analysis.ipynb'
  ])('%s is clean', cell => {
    expect(notebookRules('rt54c-', [cell])).toEqual([]);
  });
});
