/**
 * fix80subst (red team 57a R57a-6, -7, -8): a command substitution is read with the
 * redirections the shell has opened when it runs (substredirect.ts; the kernel's
 * tests/deps/test_fix80_subst.py); a backslash-newline is joined before a word is read as a
 * reserved word; `time` before a compound is bash's keyword, `time -o FILE` before an
 * installer is unreadable. The shared vectors "R57a-..." carry the decisions.
 */
import { afterPrefixes } from './compoundredirect';
import { joinedLines } from './commands';
import { IPiece, afterOwn } from './substredirect';
import { installProblems } from '../testing/install-problems';

const OWN = /the install's own output redirection/;
const INSTALL = 'uv pip install -r r.txt';

/** Pieces of words at made-up places; the substitution stands in the word `$(I)`. */
function pieces(words: string[]): IPiece[] {
  return words.map((text, n) => ({ text, from: n * 10, to: n * 10 + 9 }));
}

function after(words: string[], targets: string[]): boolean {
  const all = pieces([...words, ...targets]);
  return afterOwn(all.slice(0, words.length), all.slice(words.length), p =>
    p.text.includes('$(I)')
  );
}

describe('substitutions after a redirection (R57a-6)', () => {
  it.each([
    `case $(${INSTALL}) in *) ;; esac 2>r.txt`,
    `[[ -n $(${INSTALL}) ]] 2>r.txt`,
    `x=$(${INSTALL}) 2>r.txt`,
    `x=$(${INSTALL}) true 2>r.txt`,
    `cat 2>r.txt <<< $(${INSTALL})`,
    `{ cat <<E\necho $(${INSTALL})\nE\n} 2>r.txt`,
    `{ echo $(${INSTALL}); } 2>r.txt`,
    `( echo $(${INSTALL}) ) 2>r.txt`,
    `if [ -n "$(${INSTALL})" ]; then :; fi 2>r.txt`
  ])('%s: the install inside gets the redirection', line => {
    expect(installProblems(line).join(' ')).toMatch(OWN);
  });

  it.each([
    `echo $(${INSTALL}) 2>r.txt`,
    `x=$(${INSTALL}) 2>install.log`,
    `{ echo $(${INSTALL}); } > install.log 2>&1`
  ])('%s: not the install own redirection', line => {
    expect(installProblems(line).join(' ')).not.toMatch(OWN);
  });

  it('tells which substitutions of a simple command run after its redirections', () => {
    expect(after(['x=$(I)'], ['r.txt'])).toBe(true);
    expect(after(['x=$(I)', 'true'], ['r.txt'])).toBe(true);
    expect(after(['!', 'a[1]+=$(I)'], [])).toBe(true);
    expect(after(['[[', '-n', '$(I)', ']]'], ['r.txt'])).toBe(true);
    expect(after(['cat'], ['r.txt', '$(I)'])).toBe(true);
    expect(after(['echo', '$(I)'], ['r.txt'])).toBe(false);
    expect(after(['true', 'x=$(I)'], ['r.txt'])).toBe(false);
    expect(after(['export', 'x=$(I)'], ['r.txt'])).toBe(false);
  });
});

describe('a backslash-newline before a reserved word (R57a-7)', () => {
  it.each([
    `{ ${INSTALL}; }\\\n 2>r.txt`,
    `{ ${INSTALL}; } \\\n2>r.txt`,
    `if true; then ${INSTALL}; fi\\\n 2>r.txt`
  ])('%s: the group redirection reaches the install', line => {
    expect(installProblems(line).join(' ')).toMatch(OWN);
  });

  it('joins the lines as the shell does, outside single quotes only', () => {
    expect(joinedLines('}\\\n')).toBe('}');
    expect(joinedLines('"a\\\nb"')).toBe('"ab"');
    expect(joinedLines("'a\\\nb'")).toBe("'a\\\nb'");
    expect(joinedLines('\\\\\n')).toBe('\\\\\n'); // an escaped backslash, then a newline
    expect(joinedLines("\\'}")).toBe("\\'}");
  });
});

describe('time (R57a-8)', () => {
  it.each([
    'time ( uv pip install black )',
    'time -p uv pip install black',
    'time { uv pip install black; }',
    'time -p { uv pip install black; }'
  ])('%s: read as the install', line => {
    expect(installProblems(line)).toEqual([]);
  });

  it.each([
    'time -o t.txt uv pip install black',
    'time --output=t.txt uv pip install black',
    'time -a -ot.txt uv pip install black'
  ])('%s: unreadable, says why', line => {
    expect(installProblems(line).join(' ')).toMatch(
      /time -o writes its file before the command it times starts/
    );
  });

  it('reads the keyword option -p before a compound', () => {
    expect(afterPrefixes(['time', '-p', '{'])).toEqual([]);
    expect(afterPrefixes(['time', '-p', 'x=1'])).toEqual(['x=1']);
  });
});
