/**
 * Generated shell lines (testdata/shell-lines.json, written by scripts/shell-lines-fixture.py
 * from the kernel's reading) through the static side: both readers split and decide each line
 * alike (red team 7). Each line runs in a folder with r.txt and sub/r.txt holding `black`.
 */
import fixture from './testdata/shell-lines.json';
import { shellLineRules } from '../testing/shellRules';

describe('generated shell lines decide as on the kernel side', () => {
  it.each(fixture.cases.map(c => [JSON.stringify(c.line), c] as const))(
    '%s',
    (_name, { line, rules }) => {
      expect(shellLineRules(line)).toEqual(rules);
    }
  );
});
