/**
 * fix70group (red team 55b R55b-5): a compound command's redirections apply to every command
 * inside it (compoundredirect.ts; the kernel's tests/deps/test_fix70_group_redirect.py). What
 * the shared vectors cannot carry: the closing word Warden cannot match (fail closed).
 */
import { Compounds, UNMATCHED, commandPosition } from './compoundredirect';
import { installProblems } from '../testing/install-problems';

const OWN = /the install's own output redirection/;

describe('compound redirections (R55b-5)', () => {
  it.each([
    'uv pip install -r r.txt; } 2>r.txt',
    'echo a; uv pip install -r r.txt ) >r.txt',
    'if true; then uv pip install -r r.txt; done >r.txt'
  ])(
    '%s: a closing word that matches nothing gives its redirection to every command before it',
    line => {
      expect(installProblems(line).join(' ')).toMatch(OWN);
    }
  );

  it('reads a closing word that matches nothing, onto a log, as before', () => {
    expect(installProblems('uv pip install black; } 2>install.log')).toEqual(
      []
    );
  });

  it('refuses the install inside a group redirected onto its file', () => {
    expect(
      installProblems('{ echo a; uv pip install -r r.txt; } 2>r.txt').join(' ')
    ).toMatch(OWN);
  });

  it('matches closing words with their opening ones', () => {
    const c = new Compounds();
    expect(c.word('{', 0, [])).toBeNull();
    expect(c.word('if', 0, ['{'])).toBeNull();
    expect(c.word('fi', 2, [])).toBe(0);
    expect(c.word('done', 3, [])).toBe(UNMATCHED);
    expect(c.word('}', 3, [])).toBe(0);
    expect(c.word('}', 4, ['echo'])).toBeNull(); // an argument
  });

  it('reads a case arm pattern as no command', () => {
    const c = new Compounds();
    c.word('case', 0, []);
    c.word('a', 0, ['case']);
    c.word('in', 0, ['case', 'a']);
    c.openParen(0, ['case', 'a', 'in']); // `(a)`: the pattern's own
    expect(c.word('fi', 0, [])).toBeNull(); // a pattern word
    expect(c.closeParen()).toBeNull();
    c.openParen(1, []); // a subshell in the arm
    expect(c.closeParen()).toBe(1);
    c.operator(';;');
    expect(c.word('esac', 2, [])).toBe(0);
  });

  it('reads reserved words only in a command first place', () => {
    expect(commandPosition(['then', '!'])).toBe(true);
    expect(commandPosition(['function', 'f'])).toBe(true);
    expect(commandPosition(['for'])).toBe(false);
  });
});
