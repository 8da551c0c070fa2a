/**
 * Red team 54c R54c-1 (MED, static twin of a kernel false refusal): `!jupyter nbconvert --to
 * script nb.ipynb` (and `jupytext --to script`) is reported high install-unreadable, "script
 * (with no command given) reads commands from its input": the format word after `--to` of a
 * program Warden has no table for is read as util-linux's `script` started with no command.
 * Jupyter's own tools hand a word no input; any other program Warden has no table for may
 * (red team 55a R55a-1: `choom -n 0 -- script` fed by `input=`), so `jupytext --to script`
 * stays reported. The kernel twin: tests/deps/test_redteam54c_ordinary.py.
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
    '!jupyter nbconvert --to script --stdout analysis.ipynb'
  ])('%s is clean', cell => {
    expect(notebookRules('rt54c-', [cell])).toEqual([]);
  });

  it('a program with no table may hand its input to the word (R55a-1): jupytext', () => {
    expect(
      notebookRules('rt54c-', ['!jupytext --to script analysis.ipynb'])
    ).toEqual(['install-unreadable']);
  });
});
