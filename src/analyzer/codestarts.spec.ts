/**
 * Red team 47c: starts a cell makes outside `!`/`%` lines. R47c-3: `%run -m MOD` read as
 * `python -m MOD` with IPython's `%run` option reading; R47c-4: literal starts in Python code
 * (one extraction, `CellAnalysis.codeStarts`) and the autocall escapes `;` `,` `/`.
 * schema/vectors/notebook-installs.json pins the same forms against a real IPython shell.
 */
import { analyzeCell } from './analyzer';
import { maskIPython } from './ipython';
import { IPythonAliases } from './ipythonaliases';

const starts = (cell: string) =>
  maskIPython(cell)
    .shell.filter(s => s.kind === 'start')
    .map(s => s.argv);

const codeStarts = (cell: string) =>
  analyzeCell(cell).codeStarts.map(s => ({
    kind: s.kind,
    text: s.text,
    expansions: s.expansions,
    at: cell.slice(s.extent!.from, s.extent!.to)
  }));

describe('%run -m (R47c-3)', () => {
  it.each([
    ['%run -m pip install x', ['python', '-m', 'pip', 'install', 'x']],
    ['%run -e -m pip install x', ['python', '-m', 'pip', 'install', 'x']],
    ['%run -empip install x', ['python', '-m', 'pip', 'install', 'x']],
    ['%run -N 3 -m pip install x', ['python', '-m', 'pip', 'install', 'x']],
    // IPython puts `--` after `-m MOD`: the module's options are its own
    ['%run -m pip -e install x', ['python', '-m', 'pip', '-e', 'install', 'x']],
    ['%run -m uv pip install x', ['python', '-m', 'uv', 'pip', 'install', 'x']],
    ['  run -m pip install x', ['python', '-m', 'pip', 'install', 'x']]
  ])('%s starts %j', (cell, argv) => {
    expect(starts(cell)).toEqual([argv]);
  });

  it.each([
    '%run script.py -m pip install x', // options end at the file
    '%run -x -m pip install x', // getopt refuses an unknown option: nothing runs
    '%run --m pip install x',
    '%run -m', // -m takes IPython's own `--`: no module of that name
    '%run -m ./pip.py install x', // not a module name: find_mod finds none
    "%run -m 'pip install x", // shlex refuses an open quote
    '%run script.py'
  ])('%s starts no module', cell => {
    expect(starts(cell)).toEqual([]);
  });

  it('is a start of its own, its stdin not decided elsewhere', () => {
    const [start] = maskIPython('%run -m pip install x').shell;
    expect(start.stdin).toBeUndefined();
    expect(start.extent).toEqual({ from: 0, to: 21 });
  });
});

describe('literal starts in Python code (R47c-4)', () => {
  it('reads os.system and subprocess argv lists once, for every reader', () => {
    expect(codeStarts("import os\nos.system('pip install x')\n")).toEqual([
      {
        kind: 'shell',
        text: 'pip install x',
        expansions: undefined,
        at: "'pip install x'"
      }
    ]);
    expect(
      codeStarts(
        "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'pip', 'install', pkg, 'a b'])\n"
      )[0].text
    ).toBe(`python -m pip install "$WARDEN_IPYTHON_EXPRESSION" 'a b'`);
  });

  it('reads the kernel shell methods, expanded as IPython expands them', () => {
    expect(codeStarts("get_ipython().system('pip install x')")).toEqual([
      {
        kind: 'shell',
        text: 'pip install x',
        expansions: 1,
        at: "'pip install x'"
      }
    ]);
    expect(
      codeStarts(
        "from IPython import get_ipython as g\nip = g()\nip.getoutput('pip install x')"
      ).map(s => s.text)
    ).toEqual(['pip install x']);
  });

  it('reads run_line_magic and run_cell_magic as the % and %% forms', () => {
    const call = "get_ipython().run_line_magic('pip', 'install x')";
    expect(codeStarts(call)).toEqual([
      { kind: 'shell', text: 'pip install x', expansions: 2, at: call }
    ]);
    const cell = "get_ipython().run_cell_magic('bash', '', 'pip install x\\n')";
    expect(codeStarts(cell).map(s => [s.kind, s.text])).toEqual([
      ['shell', 'pip install x\n'],
      ['start', '%%bash ']
    ]);
  });

  it('reads a magic alias run_line_magic names through the notebook table', () => {
    const aliases = new IPythonAliases();
    analyzeCell('%alias_magic p pip', undefined, {}, aliases);
    const found = analyzeCell(
      "get_ipython().run_line_magic('p', 'install x')",
      undefined,
      {},
      aliases
    ).codeStarts;
    expect(found.map(s => s.text)).toEqual(['pip install x']);
  });

  it('reports a magic line holding a line break as unreadable', () => {
    expect(
      codeStarts("get_ipython().run_line_magic('pip', 'install x\\ny')").map(
        s => s.kind
      )
    ).toEqual(['unreadable']);
  });

  it('places a start inside an exec string on the string', () => {
    const cell = `exec("import os; os.system('pip install x')")`;
    expect(codeStarts(cell).map(s => s.at)).toEqual([cell.slice(5, -1)]);
  });

  it('reads the autocall escapes as the calls IPython builds', () => {
    expect(
      codeStarts(';get_ipython().system pip install x').map(s => [s.text, s.at])
    ).toEqual([['pip install x', ';get_ipython().system pip install x']]);
    // `,f a b` is f("a", "b"): system's command is the first word only
    expect(
      codeStarts(',get_ipython().system pip install x').map(s => s.text)
    ).toEqual(['pip']);
    // `/f 'a b'` is `f('a, b')`: the words are joined with commas, quotes and all
    expect(
      codeStarts("import os\n/os.system 'pip install x'").map(s => s.text)
    ).toEqual(['pip, install, x']);
  });

  it('masks an escaped line and keeps the offsets of the Python around it', () => {
    const cell = 'x = 1\n;f a b\ny = 2\n';
    const masked = maskIPython(cell);
    expect(masked.python.length).toBe(cell.length);
    expect(masked.escaped).toEqual([{ text: 'f("a b")', from: 6, to: 12 }]);
  });

  it('follows a Python line magic after an assignment', () => {
    const shell = maskIPython('x = %time !pip install y').shell;
    expect(shell.map(s => s.text)).toEqual(['pip install y']);
  });

  it('reads automagic sx/system and leaves the line to Python as well', () => {
    expect(maskIPython('sx pip install y').shell.map(s => s.text)).toEqual([
      'pip install y'
    ]);
    expect(maskIPython('system = 3').shell).toEqual([]);
    const both = analyzeCell('import pickle\nsc if pickle.loads(b) else 0');
    expect(both.findings.map(f => f.ruleId)).toContain('pickle-load');
  });
});

describe('literal starts read as Python reads them (R48b)', () => {
  const line = (cell: string) =>
    codeStarts(cell).map(s => `${s.kind}: ${s.text}`);
  const system = (literal: string) => line(`import os\nos.system(${literal})`);

  it.each([
    ["'pip install \\x74orcj'", 'pip install torcj'],
    ["'pip install torc\\152'", 'pip install torcj'],
    ["'pip install \\u0074orcj'", 'pip install torcj'],
    ["'pip install \\U00000074orcj'", 'pip install torcj'],
    ["'pip install \\N{LATIN SMALL LETTER T}orcj'", 'pip install torcj'],
    ["'pip install\\N{space}torcj'", 'pip install torcj'],
    ["'pip\\tinstall\\\\x'", 'pip\tinstall\\x'],
    ["'pip install \\d'", 'pip install \\d'], // an unknown escape keeps its backslash
    ["r'pip install \\x74'", 'pip install \\x74'],
    ["b'pip install \\x74orcj'", 'pip install torcj'],
    ["b'pip install \\u0074'", 'pip install \\u0074'], // no \u in bytes
    ["f'pip install torcj'", 'pip install torcj'],
    ["f'pip install {{x}}\\x7b\\x7b'", 'pip install {x}{{'],
    ["rf'pip install {{\\x74}}'", 'pip install {\\x74}'],
    ["'pip install ' f'torc\\x6a'", 'pip install torcj']
  ])('decodes %s', (literal, decoded) => {
    expect(system(literal)).toEqual([`shell: ${decoded}`]);
  });

  it.each([
    "'pip install \\N{GREEK SMALL LETTER ALPHA}'",
    "b'pip install \\xff'",
    "'pip install ' + '\\N{NO SUCH NAME}'"
  ])('reads %s, which it cannot decode, as unreadable', literal => {
    expect(system(literal)).toEqual([
      'unreadable: a string literal Warden cannot decode'
    ]);
  });

  it('reads no start from an f-string with a field', () => {
    expect(system("f'pip install {name}'")).toEqual([]);
  });

  it.each([
    ["['pip install x', 'sh', 'y'], shell=True", 'shell: pip install x'],
    ["['pip', 'install', 'x'], shell=False", 'shell: pip install x'],
    [
      "['pip install x'], None, None, None, None, None, None, True, True",
      'shell: pip install x'
    ],
    ["['x', 'install', 'y'], executable='pip'", 'shell: pip install y'],
    [
      "['x', '-m', 'pip', 'install', 'y'], executable=sys.executable",
      'shell: python -m pip install y'
    ],
    ["'install y', shell=True, executable='pip'", "shell: pip -c 'install y'"],
    ["['pip', 'install', 'x'], **{'shell': True}", 'shell: pip'],
    [
      "['pip', 'install', 'x'], shell=flag",
      'unreadable: shell= is not a literal: whether a shell reads the command is not known'
    ],
    [
      "['pip', 'install', 'x'], **opts",
      'unreadable: shell= is not a literal: whether a shell reads the command is not known'
    ],
    [
      "['x', 'install', 'y'], executable=prog",
      'unreadable: executable= is not a constant: the program that runs is not known'
    ]
  ])('subprocess.run(%s) starts %s', (args, start) => {
    expect(line(`import subprocess, sys\nsubprocess.run(${args})`)).toEqual([
      start
    ]);
  });

  it('reads a list given to os.popen as its shell line and arguments', () => {
    expect(line("import os\nos.popen(['pip install x', 'sh'])")).toEqual([
      'shell: pip install x'
    ]);
  });

  it.each([
    [
      "os.spawnlp(os.P_WAIT, 'pip', 'pip', 'install', 'x')",
      'shell: pip install x'
    ],
    [
      "os.spawnl(os.P_NOWAIT, '/usr/bin/pip', 'any', 'install', 'x')",
      'shell: /usr/bin/pip install x'
    ],
    [
      "os.spawnvpe(os.P_WAIT, 'pip', ['pip', 'install', 'x'], os.environ)",
      'shell: pip install x'
    ],
    [
      "os.execlpe('pip', 'pip', 'install', 'x', {'PIP_INDEX_URL': 'https://e.example/s i'})",
      "shell: PIP_INDEX_URL='https://e.example/s i' pip install x"
    ],
    [
      "os.execv('/usr/bin/pip', args)",
      'shell: /usr/bin/pip "$WARDEN_IPYTHON_EXPRESSION"'
    ],
    [
      "os.execvp(sys.executable, ['python', '-m', 'pip', 'install', 'x'])",
      'shell: python -m pip install x'
    ],
    [
      "os.posix_spawnp('pip', ['pip', 'install', 'x'], {})",
      'shell: pip install x'
    ],
    [
      "os.posix_spawn('pip', ['pip', 'install', 'x'], env)",
      'unreadable: os.posix_spawn with an environment Warden cannot read'
    ],
    [
      "os.execve('pip', ['pip', 'install', '\\N{NO SUCH NAME}'], {})",
      'unreadable: a string literal Warden cannot decode'
    ]
  ])('%s starts %s', (call, start) => {
    expect(line(`import os, sys\n${call}`)).toEqual([start]);
  });
});
