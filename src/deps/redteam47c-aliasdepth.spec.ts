/**
 * Red team 47c R47c-5 (HIGH for the static side: false clean). `%alias_magic` aliases of
 * aliases are followed to MAX_ALIAS_DEPTH = 8 (src/analyzer/ipython.ts:100); past it
 * `useMagicAlias` (ipython.ts:689) returns with nothing and `cellMagicHead` (ipython.ts:234)
 * leaves an alias name no reader knows, so the use is clean. IPython has no such depth: a
 * `MagicAlias` refuses only a call of itself (a cycle), so `a9 -> ... -> a0 -> pip` runs pip
 * and the kernel refuses it (tests/deps/test_redteam47c_alias_depth.py). Fix: follow the
 * chain until a name repeats (IPython's cycle), and report a use Warden stops following as
 * install-unreadable instead of dropping it.
 */
import { notebookRules } from '../testing/scan-fixture';

const chain = (flag: string, target: string, n: number) =>
  `%alias_magic ${flag}a0 ${target}\n` +
  Array.from(
    { length: n - 1 },
    (_, i) => `%alias_magic ${flag}a${i + 1} a${i}\n`
  ).join('');

describe('red team 47c R47c-5: a long %alias_magic chain', () => {
  it('control: a chain of 8 is followed', () => {
    expect(
      notebookRules('rt47c-alias-', [chain('', 'pip', 8), '%a7 install torcj'])
    ).toContain('install-imitation-name');
  });

  it('a line alias chain of 10 is not clean', () => {
    expect(
      notebookRules('rt47c-alias-', [chain('', 'pip', 10), '%a9 install torcj'])
    ).not.toEqual([]);
  });

  it('a line alias chain of 40 is not clean', () => {
    expect(
      notebookRules('rt47c-alias-', [
        chain('', 'pip', 40),
        '%a39 install torcj'
      ])
    ).not.toEqual([]);
  });

  it('a cell alias chain of 10 is not clean', () => {
    expect(
      notebookRules('rt47c-alias-', [
        chain('-c ', 'bash', 10),
        '%%a9\npip install torcj\n'
      ])
    ).not.toEqual([]);
  });
});
