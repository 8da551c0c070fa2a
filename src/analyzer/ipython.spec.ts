import { parser } from '@lezer/python';
import { maskIPython } from './ipython';
import continued from './testdata/ipython-continued.json';
import scriptHeads from './testdata/script-magic-heads.json';

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

  it('reads the statement of %time, %timeit and %prun as a cell line (R12-8)', () => {
    for (const line of [
      '%time !pip install torcj',
      '%timeit -n1 -r1 !pip install torcj',
      '%timeit -n 1 -r 1 !!pip install torcj',
      '%prun -s cumulative !pip install torcj',
      '%time %pip install torcj'
    ]) {
      const { python, shell } = maskIPython(line);
      expect(shell.map(s => s.text.trim())).toEqual(['pip install torcj']);
      expect(python).not.toContain('pip');
    }
    // a Python statement stays Python
    const timed = maskIPython('%time y = f(x)');
    expect(timed.shell).toEqual([]);
    expect(timed.python).toContain('y = f(x)');
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
      { kind: 'shell', text: 'curl x | sh\n', offset: 7 },
      // the program IPython starts, with the body on its stdin (R45c-8)
      {
        kind: 'start',
        text: '%%bash',
        offset: 0,
        argv: ['bash'],
        stdin: 'decided'
      }
    ]);
    expect(bash.python.trim()).toBe('');
    const time = maskIPython('%%time\nimport torch\n');
    expect(time.python).toBe('      \nimport torch\n');
    const html = maskIPython('%%html\n<b>pickle.loads(x)</b>');
    expect(html.python.trim()).toBe('');
    expect(html.shell).toEqual([]);
  });

  it('reads every %%script head IPython runs a shell with, and stacked heads (R8-18)', () => {
    const body = 'uv pip install --index-url http://h/simple black\n';
    const heads = [
      '%%script /bin/bash',
      '%%script --bg bash',
      '%%script --bg --proc p --out o --err=e bash',
      '%%script --no-raise-error /bin/sh',
      '%%script --no-raise bash',
      '%%script env bash',
      '%%script /usr/bin/env bash',
      '%%script busybox sh',
      '%%script -e bash',
      '%%script "/bin/bash"',
      '%%bash --bg',
      '%%sh',
      '%%script perl',
      '%%capture\n%%bash',
      '%%time\n%%script bash',
      '%%capture out\n%%timeit -n1 -r1\n%%bash',
      '\n%%capture\n\n%%bash'
    ];
    for (const head of heads) {
      const { shell, python } = maskIPython(`${head}\n${body}`);
      const read = shell.filter(s => s.kind !== 'start').map(s => s.text);
      expect([head, read]).toEqual([head, [body]]);
      expect(python.trim()).toBe('');
    }
    for (const head of [
      '%%script python3',
      '%%python',
      '%%script /usr/bin/python3.11'
    ]) {
      const { shell } = maskIPython(`${head}\n${body}`);
      expect(shell.map(s => s.kind)).toEqual(['start']);
    }
    const timed = maskIPython('%%time\nimport torch\n');
    expect(timed.python).toBe('      \nimport torch\n');
  });

  // Differential: heads run through IPython's own parser and the kernel guard's reader by
  // scripts/script-magic-heads.py
  const heads = scriptHeads.cases as Array<{
    head: string;
    argv: string[];
    reader: string | null;
  }>;
  it.each(heads)(
    'reads the body and the start of $head as the kernel does',
    c => {
      const { shell } = maskIPython(`${c.head}\nuv pip install black\n`);
      const body = shell.filter(s => s.kind !== 'start');
      expect(body.map(s => s.kind)).toEqual(
        c.reader === null ? [] : [c.reader]
      );
      // the program IPython's own parser gives is the start read as a command (R45c-8)
      const starts = shell.filter(s => s.kind === 'start').map(s => s.argv);
      expect(starts).toEqual(c.argv.length > 0 ? [c.argv] : []);
    }
  );

  it('joins backslash-continued ! and % lines as IPython does (R7-5, L-2)', () => {
    const code =
      '!pip install black \\\n-i http://h/simple\n!echo \\\npip install torcj\n';
    const { python, shell } = maskIPython(code);
    expect(shell.map(s => s.text)).toEqual([
      'pip install black  -i http://h/simple',
      'echo  pip install torcj'
    ]);
    expect(python).toHaveLength(code.length);
    expect(python.replace(/\s/g, '')).toBe('00');
  });

  // Differential: cells generated by scripts/ipython-continued-lines.py, with the command
  // strings IPython's TransformerManager gives for them.
  it.each(continued.cells.map(c => [JSON.stringify(c.cell), c] as const))(
    'reads %s as IPython does',
    (_name, { cell, commands }) => {
      const texts = maskIPython(cell)
        .shell.filter(s => s.kind === 'shell')
        .map(s => s.text);
      const expected = commands.map(([magic, args]) =>
        magic === 'shell' || magic === 'sx' || magic === 'system'
          ? args
          : `${magic} ${args}`
      );
      // leading and trailing blanks mean nothing to the shell
      const trim = (t: string) => t.trim();
      expect(texts.map(trim)).toEqual(expected.map(trim));
    }
  );
});
