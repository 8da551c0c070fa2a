/**
 * The pip config files the static side reads (pipconfig.ts): each place pip reads, as the
 * install's own environment and program set it (PIP_CONFIG_FILE, HOME and the XDG folders, the
 * program's prefix, a `.venv` the project carries), never the scanning user's own home or the
 * machine's /etc, read as pip's configparser reads them. The shared vectors (static50: ...)
 * pin the decisions both sides make on a PIP_CONFIG_FILE.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellInstalls } from './commands';
import { pipConfigFiles, readIni } from './pipconfig';
import { COMMAND_LINE } from './request';
import { scanCellInstalls } from './scan';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-pipconfig-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

const EVIL_INDEX = '[global]\nindex-url = https://evil.example/simple\n';
const notebook = () => path.join(dir, 'train.ipynb');
const rules = (cell: string) =>
  scanCellInstalls(notebook(), cell, {})
    .map(f => f.finding.ruleId)
    .sort();

function request(
  command: string,
  env: Record<string, string> = {},
  readFile = (p: string) => fs.readFileSync(p, 'utf8')
) {
  const context = {
    cwd: dir,
    place: COMMAND_LINE,
    env,
    readFile,
    label: (p: string) => path.relative(dir, p)
  };
  return shellInstalls(command, 0, env, context)[0].request;
}

describe("a scanned project's virtualenv pip.conf", () => {
  it("is read from the notebook's folder (.venv/pip.conf, .venv/pip.ini)", () => {
    expect(rules('!pip install black')).toEqual([]);
    write('.venv/pip.conf', EVIL_INDEX);
    expect(rules('!pip install black')).toEqual(['install-index-not-allowed']);
    fs.rmSync(path.join(dir, '.venv/pip.conf'));
    write('.venv/pip.ini', '[install]\ntrusted-host = evil.example\n');
    expect(rules('%pip install black')).toEqual(['install-index-not-allowed']);
  });

  it('names the file and its section in the source it adds', () => {
    write('.venv/pip.conf', EVIL_INDEX);
    const found = request('pip install black').sources.find(
      s => s.url === 'https://evil.example/simple'
    );
    expect(found?.place.origin).toBe('pip config .venv/pip.conf [global]');
  });

  it("is VIRTUAL_ENV's when the install's environment names one", () => {
    write('envs/a/pip.conf', EVIL_INDEX);
    expect(rules('!VIRTUAL_ENV=envs/a pip install black')).toEqual([
      'install-index-not-allowed'
    ]);
  });

  it('is not read by uv, nor when PIP_CONFIG_FILE is the null device', () => {
    write('.venv/pip.conf', EVIL_INDEX);
    expect(rules('!uv pip install black')).toEqual([]);
    expect(rules(`!PIP_CONFIG_FILE=${os.devNull} pip install black`)).toEqual(
      []
    );
  });
});

describe("the places pip's own config files are, as the start sets them", () => {
  it("reads no file of the scanning user's home or the machine's (/etc)", () => {
    // a scan's start sets nothing: HOME, XDG_* and PATH unset are the scanning machine's
    expect(pipConfigFiles({}, dir, 'pip')).toEqual([
      path.join(dir, '.venv', 'pip.conf'),
      path.join(dir, '.venv', 'pip.ini')
    ]);
    expect(pipConfigFiles({ XDG_CONFIG_DIRS: ' ' }, dir)).not.toContain(
      '/etc/xdg/pip/pip.conf'
    );
  });

  it("takes HOME and the XDG folders the start sets, in pip's order (R47c-2)", () => {
    const env = {
      HOME: 'home',
      XDG_CONFIG_HOME: 'xdg',
      XDG_CONFIG_DIRS: `${path.join(dir, 'etc')}:`,
      VIRTUAL_ENV: 'envs/a',
      PIP_CONFIG_FILE: 'named.conf'
    };
    const at = (...parts: string[]) => path.join(dir, ...parts);
    expect(pipConfigFiles(env, dir, 'pip')).toEqual([
      // global, user (legacy, XDG), site, PIP_CONFIG_FILE: lowest priority first
      at('etc', 'pip', 'pip.conf'),
      at('pip', 'pip.conf'), // an empty XDG_CONFIG_DIRS entry: the working folder
      at('home', '.pip', 'pip.conf'),
      at('xdg', 'pip', 'pip.conf'),
      at('.venv', 'pip.conf'),
      at('.venv', 'pip.ini'),
      at('envs', 'a', 'pip.conf'),
      at('envs', 'a', 'pip.ini'),
      at('named.conf')
    ]);
  });

  it("expands ~ with the start's HOME only; ~ as written is a folder named ~", () => {
    const files = pipConfigFiles({ XDG_CONFIG_HOME: '~/cfg' }, dir);
    expect(files).toContain(path.join(dir, '~', 'cfg', 'pip', 'pip.conf'));
    expect(files.filter(f => !f.startsWith(dir))).toEqual([]);
    expect(
      pipConfigFiles({ HOME: 'h', XDG_CONFIG_HOME: '~/cfg' }, dir)
    ).toContain(path.join(dir, 'h', 'cfg', 'pip', 'pip.conf'));
    expect(pipConfigFiles({ HOME: '' }, dir)).toContain('/.pip/pip.conf');
  });

  it("reads the site config of the program's prefix (R47c-1)", () => {
    const site = (program: string, env: Record<string, string> = {}) =>
      pipConfigFiles(env, dir, program, p => fs.realpathSync(p)).filter(f =>
        f.endsWith('pip.conf')
      );
    expect(site('venv/bin/pip')).toContain(path.join(dir, 'venv', 'pip.conf'));
    // a bare name: every folder of the PATH the start sets (the machine's PATH: none)
    expect(site('pip', { PATH: 'tools/bin:/opt/x/bin' })).toEqual([
      path.join(dir, '.venv', 'pip.conf'),
      path.join(dir, 'tools', 'pip.conf'),
      '/opt/x/pip.conf'
    ]);
    // a link: its real file's prefix as well (a Python finds its prefix from it)
    write('envs/a/bin/pip', '');
    fs.mkdirSync(path.join(dir, 'links', 'bin'), { recursive: true });
    fs.symlinkSync(
      path.join(dir, 'envs/a/bin/pip'),
      path.join(dir, 'links/bin/pip')
    );
    expect(site('links/bin/pip')).toEqual([
      path.join(dir, '.venv', 'pip.conf'),
      path.join(dir, 'links', 'pip.conf'),
      path.join(fs.realpathSync(dir), 'envs', 'a', 'pip.conf')
    ]);
  });

  it('decides what a file in each place names, for the line that points there', () => {
    write('home/.config/pip/pip.conf', EVIL_INDEX);
    expect(rules('!pip install black')).toEqual([]);
    expect(rules('!HOME=home pip install black')).toEqual([
      'install-index-not-allowed'
    ]);
    write('py/pip.conf', EVIL_INDEX);
    expect(rules('!py/bin/python -m pip install black')).toEqual([
      'install-index-not-allowed'
    ]);
    const found = request('PATH=py/bin pip install black').sources.find(
      s => s.url === 'https://evil.example/simple'
    );
    expect(found?.place.origin).toBe('pip config py/pip.conf [global]');
  });
});

describe('a pip config file Warden cannot read', () => {
  it('is a problem when it is there but unreadable, passed over when absent', () => {
    const tooLarge = (p: string): string => {
      if (p.endsWith('pip.conf')) {
        throw Object.assign(new Error('larger than 1 MB'), { code: 'EFBIG' });
      }
      throw Object.assign(new Error('absent'), { code: 'ENOENT' });
    };
    expect(request('pip install black', {}, tooLarge).problems).toEqual([
      {
        text: 'cannot read pip config .venv/pip.conf: larger than 1 MB',
        place: COMMAND_LINE
      }
    ]);
    expect(request('pip install black').problems).toEqual([]);
  });

  it('is a problem when configparser would refuse it', () => {
    write('.venv/pip.conf', 'index-url = https://evil.example/simple\n');
    expect(request('pip install black').problems.map(p => p.text)).toEqual([
      'cannot read pip config .venv/pip.conf: line 1 comes before any [section]'
    ]);
  });
});

describe("readIni (Python's RawConfigParser)", () => {
  const table = (text: string, section = 'global') =>
    Object.fromEntries(readIni(text).get(section) ?? []);

  it('lower-cases keys, takes = or :, keeps inline text, drops full-line comments', () => {
    expect(
      table(
        '[global]\nIndex_URL: https://a.example/simple # not a comment\n  ; x\n#y\n'
      )
    ).toEqual({ index_url: 'https://a.example/simple # not a comment' });
  });

  it('continues a value on deeper-indented lines, an empty line kept inside', () => {
    expect(
      table('[global]\nfind-links =\n  ./a\n\n  ./b\n\nx = 1\n')['find-links']
    ).toBe('\n./a\n\n./b');
  });

  it('reads a header up to its last ]', () => {
    expect(table('[global] ] trailing\nk = v\n', 'global] ')).toEqual({
      k: 'v'
    });
  });

  it('keeps [DEFAULT] apart (merged into each section read)', () => {
    const parsed = readIni('[DEFAULT]\nindex-url = x\n[global]\n');
    expect(Object.fromEntries(parsed.get('DEFAULT') ?? [])).toEqual({
      'index-url': 'x'
    });
    write('.venv/pip.conf', '[DEFAULT]\nindex-url = https://evil.example/s\n');
    expect(rules('!pip install black')).toEqual([]); // no [global]: nothing read
    write(
      '.venv/pip.conf',
      '[DEFAULT]\nindex-url = https://evil.example/s\n[global]\n'
    );
    expect(rules('!pip install black')).toEqual(['install-index-not-allowed']);
  });

  it('refuses what strict configparser refuses', () => {
    expect(() => readIni('[global]\na = 1\n[global]\n')).toThrow(/repeated/);
    expect(() => readIni('[global]\na = 1\nA = 2\n')).toThrow(/repeated/);
    expect(() => readIni('[global]\njust words\n')).toThrow(/not a setting/);
    expect(() => readIni('[global]\n= 1\n')).toThrow(/not a setting/);
    expect(() => readIni('\ufeff[global]\n')).toThrow(/before any/);
  });
});
