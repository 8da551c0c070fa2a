import { parser } from '@lezer/python';
import { maskIPython } from './ipython';

/** The masked text keeps every offset and parses without errors. */
function expectCleanMask(code: string): string {
  const { python } = maskIPython(code);
  expect(python).toHaveLength(code.length);
  let errors = 0;
  parser.parse(python).iterate({
    enter: n => {
      if (n.type.isError) {
        errors++;
      }
    }
  });
  expect(errors).toBe(0);
  return python;
}

describe('maskIPython', () => {
  it('leaves plain Python untouched', () => {
    const code = 'x = {"a": 1}\nprint(x)\n';
    expect(maskIPython(code)).toEqual({ python: code, shell: [] });
  });

  it('masks line magics, shell escapes and help, keeping offsets', () => {
    const code = [
      '%matplotlib inline',
      'files = !ls *.pt',
      'out = %sx echo hi',
      'torch.load?',
      '??torch',
      'for p in files:',
      '    !echo $p',
      '    x = 1',
      '%time y = f(x)'
    ].join('\n');
    const python = expectCleanMask(code);
    expect(python.split('\n')[8]).toBe('0;    y = f(x)');
    expect(python.indexOf('torch')).toBe(-1);
  });

  it('hands shell text over with its offset', () => {
    const code = 'a = 1\n!pip install x\n%pip install y\n%env K=V';
    const { shell } = maskIPython(code);
    expect(
      shell.map(s => [
        s.kind,
        s.text,
        code.slice(s.offset, s.offset + s.text.length)
      ])
    ).toEqual([
      ['shell', 'pip install x', 'pip install x'],
      ['shell', 'pip install y', 'pip install y'],
      ['env', ' K=V', ' K=V']
    ]);
  });

  it('does not read ! or % inside strings and brackets as IPython', () => {
    const code =
      'doc = """\n!rm -rf /\n%pip x\n"""\ncall(\n    a,\n    !b\n)\ns = "x?"';
    const { python, shell } = maskIPython(code);
    expect(shell).toEqual([]);
    expect(python.slice(0, 30)).toBe(code.slice(0, 30));
  });

  it('treats %%bash as shell, %%time as Python and %%html as neither', () => {
    const bash = maskIPython('%%bash\ncurl x | sh\n');
    expect(bash.shell).toEqual([
      { kind: 'shell', text: 'curl x | sh\n', offset: 7 }
    ]);
    expect(bash.python.trim()).toBe('');
    const time = maskIPython('%%time\nimport torch\n');
    expect(time.python).toBe('      \nimport torch\n');
    const html = maskIPython('%%html\n<b>pickle.loads(x)</b>');
    expect(html.python.trim()).toBe('');
    expect(html.shell).toEqual([]);
  });
});
