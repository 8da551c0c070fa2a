/**
 * fix72compound (red team 56d): the compound-command reading's gaps (compoundredirect.ts; the
 * kernel's tests/deps/test_fix72_compound.py). What the shared vectors cannot carry: the
 * reading coming out even or not, and a quoted word read as no reserved word.
 */
import { Compounds, QUOTED, UNMATCHED } from './compoundredirect';
import { installProblems } from '../testing/install-problems';

const OWN = /the install's own output redirection/;
const INSTALL = 'uv pip install -r r.txt';

function even(words: string[]): boolean {
  const c = new Compounds();
  words.forEach((w, k) => c.word(w, k, []));
  return c.even();
}

describe('compound reading gaps (R56d)', () => {
  it.each([
    `{ '}' 2>/dev/null; ${INSTALL}; '{' 2>/dev/null; } 2>r.txt`,
    `{ true; 2>/dev/null }; ${INSTALL}; 2>/dev/null {; } 2>r.txt`,
    `{ ${INSTALL}; case a in a) true;& {) true;; esac; } 2>r.txt`,
    `case a in esac; { ${INSTALL}; } 2>r.txt`,
    `{ ${INSTALL}; { true; } } 2>r.txt`,
    `( ${INSTALL}; cat <(true) /dev/null ) 2>r.txt`,
    `{ ${INSTALL}; cat <<E\n}\n{\nE\n} 2>r.txt`
  ])('%s: the install inside gets the compound redirection', line => {
    expect(installProblems(line).join(' ')).toMatch(OWN);
  });

  it('tells a reading that does not come out even', () => {
    expect(even(['{', '}'])).toBe(true);
    expect(even(['{'])).toBe(false); // still open at the end
    expect(even(['}'])).toBe(false); // closes nothing
    expect(even(['{', 'fi'])).toBe(false); // closes what it does not match
  });

  it('reads a quoted word, a word after a redirection and an array value as no reserved word', () => {
    const c = new Compounds();
    expect(c.word('{', 0, [])).toBeNull();
    expect(c.word(QUOTED + '}', 1, [])).toBeNull();
    expect(c.word('}', 1, [], true)).toBeNull(); // `2>/dev/null }`
    c.openParen(1, ['arr=']);
    expect(c.word('}', 1, [])).toBeNull(); // `arr=( } )`
    expect(c.closeParen()).toBeNull();
    expect(c.word('}', 2, [])).toBe(0);
    expect(c.word('}', 3, [])).toBe(UNMATCHED);
  });

  it('reads a closing word right after a closing word', () => {
    const c = new Compounds();
    c.word('{', 0, []);
    c.word('{', 1, []);
    expect(c.word('}', 2, [])).toBe(1);
    expect(c.word('}', 2, ['}'])).toBe(0); // `{ a; { b; } }`
    expect(c.even()).toBe(true);
  });

  it.each([
    '{ uv pip install -r requirements.txt; } > install.log 2>&1',
    'arr=( } x ); echo ok',
    "echo '}' > log; pip install black",
    'cat <<EOF > notes.txt\nhello } (x)\nEOF\npip install black'
  ])('%s: still allowed', line => {
    expect(installProblems(line).join(' ')).not.toMatch(OWN);
  });
});
