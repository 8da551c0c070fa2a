/**
 * fix71split (red team 56b R56b-3, R56b-8): redirections the line's split lost (the kernel's
 * tests/deps/test_fix71_split.py). What the shared vectors cannot carry: a guardless Python's
 * code inside a shell text whose command is redirected onto the module it imports.
 */
import { installProblems } from '../testing/install-problems';

const CODE = 'import sys; print(1); sys.stdout.flush(); import json';
const WRITES =
  /starts without Warden's guard and its code may write files \(a redirection of its output\) and imports json/;

describe('the redirections of the command running a shell text (R56b-8)', () => {
  it.each([
    `python3 -E -c "${CODE}" > json.py`, // the plain form, refused before
    `sh -c 'python3 -E -c "${CODE}"' > json.py`,
    `eval 'python3 -E -c "${CODE}"' > json.py`,
    `bash -c 'python3 -E -c "${CODE}"' 2>json.py`,
    `{ sh -c 'python3 -E -c "${CODE}"'; } > json.py`,
    `sh -c 'sh -c "python3 -E -c \\"${CODE}\\""' > json.py`
  ])('%s: the guardless Python writes through it', line => {
    expect(installProblems(line).join(' ')).toMatch(WRITES);
  });

  it.each([
    `sh -c 'python3 -E -c "${CODE}"'`,
    `sh -c 'python3 -c "${CODE}"' > log.txt`, // a Python that keeps the guard
    `sh -c 'python3 -E -c "${CODE}"' < /dev/null`
  ])('%s: read as before', line => {
    expect(installProblems(line)).toEqual([]);
  });
});

describe('a duplication glued to the redirection after it (R56b-3)', () => {
  it.each([
    'uv pip install black 2>&1>uv.toml',
    'uv pip install black 2>& 1>uv.toml',
    'uv pip install black >&2>uv.toml'
  ])("%s: the second redirection is the install's own", line => {
    expect(installProblems(line).join(' ')).toMatch(
      /the install's own output redirection/
    );
  });

  it('reads a glued duplication into a log as before', () => {
    expect(installProblems('uv pip install black 2>& 1>install.log')).toEqual(
      []
    );
  });
});
