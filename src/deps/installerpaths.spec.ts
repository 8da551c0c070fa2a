/**
 * Red team 43a (R43a-3, R43a-4) on the static side: a requirements file's `${VAR}` expanded as
 * the installer expands it, and a `-r file:` name read where pip and uv open it (the kernel's
 * tests/deps/test_fix48_installer_paths.py pins the same against pip's own functions).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellInstalls } from './commands';
import { locationPaths } from './installerpaths';
import { COMMAND_LINE, InstallRequest } from './request';
import { expandedLines, requirementsFilePath } from './requirements';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-installerpaths-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function names(command: string, env: Record<string, string> = {}) {
  const context = {
    cwd: dir,
    place: COMMAND_LINE,
    env,
    readFile: (p: string) => fs.readFileSync(p, 'utf8'),
    label: (p: string) => path.basename(p)
  };
  return shellInstalls(command, 0, env, context).flatMap(f =>
    f.request.requirements.map(r => r.name)
  );
}

const request = (tool: string, alsoUv = false) =>
  ({ tool, alsoUv }) as unknown as InstallRequest;

describe('${VAR} in a requirements file', () => {
  const env = { A: '${B}', B: 'x', E: '' };
  it("is pip's expansion: empty kept, each variable of the original line in turn", () => {
    expect(expandedLines(request('pip'), './w${E}', env)).toEqual(['./w${E}']);
    expect(expandedLines(request('pip'), '${A}${B}', env)).toEqual(['xx']);
    expect(expandedLines(request('pip'), '${B}-${A}', env)).toEqual(['x-${B}']);
  });
  it("is uv's for uv (a set empty variable replaced), both for a pip on uv", () => {
    expect(expandedLines(request('uv'), './w${E}${U}', env)).toEqual([
      './w${U}'
    ]);
    expect(expandedLines(request('pip', true), './w${E}', env)).toEqual([
      './w${E}',
      './w'
    ]);
  });
});

describe('a -r file: name', () => {
  it('is the path pip and uv open, not a folder named file: in the working folder', () => {
    fs.writeFileSync(path.join(dir, 'real.txt'), 'aiohtt\n');
    const real = path.join(dir, 'real.txt');
    fs.mkdirSync(path.join(dir, 'file:' + dir), { recursive: true });
    fs.writeFileSync(path.join(dir, 'file:' + real), 'warden-demo-pkg\n');
    expect(names(`pip install -r 'file:${real}'`)).toEqual(['aiohtt']);
    expect(names(`uv pip install -r 'file:${real}'`)).toEqual(['aiohtt']);
  });
  it('roots a path without slashes, folds dots, keeps another host a URL', () => {
    expect(requirementsFilePath('file:tmp/x', '/w')).toBe('/tmp/x');
    expect(requirementsFilePath('file:///a/./b/%2e%2e/c%20d', '/w')).toBe(
      '/a/c d'
    );
    expect(requirementsFilePath('file://localhost/a', '/w')).toBe('/a');
    expect(requirementsFilePath('file://h/a', '/w')).toContain('://');
    expect(requirementsFilePath('r.txt', '/w')).toBe('/w/r.txt');
  });
});

describe('a file: find-links location (red team 44a R44a-3)', () => {
  function sources(command: string) {
    const context = {
      cwd: dir,
      place: COMMAND_LINE,
      env: {},
      readFile: (p: string) => fs.readFileSync(p, 'utf8'),
      label: (p: string) => path.basename(p)
    };
    return shellInstalls(command, 0, {}, context).flatMap(f =>
      f.request.sources.map(s => s.url)
    );
  }
  const page = (folder: string) => {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'index.html'),
      '<a href="https://evil.example/p-1.0.tar.gz">p</a>'
    );
  };
  it('is read where uv opens FILE:, the relative path ./FILE:<cwd>/clean', () => {
    page(path.join(dir, 'FILE:' + dir, 'clean'));
    fs.mkdirSync(path.join(dir, 'clean'));
    const line = `--no-index --find-links 'FILE://${dir}/clean' p`;
    expect(sources(`uv pip install ${line}`)).toContain(
      'https://evil.example/p-1.0.tar.gz'
    );
    expect(sources(`pip install ${line}`)).toContain(
      'https://evil.example/p-1.0.tar.gz'
    );
  });
  it("is still read at the URL's path", () => {
    page(path.join(dir, 'clean'));
    for (const scheme of ['file:', 'FILE:']) {
      const line = `--no-index --find-links '${scheme}//${dir}/clean' p`;
      expect(sources(`uv pip install ${line}`)).toContain(
        'https://evil.example/p-1.0.tar.gz'
      );
    }
  });
});

describe('a relative location a file names (static50: read as pip and uv read it)', () => {
  function sources(command: string, cwd = dir) {
    const context = {
      cwd,
      place: COMMAND_LINE,
      env: {},
      readFile: (p: string) => fs.readFileSync(p, 'utf8'),
      label: (p: string) => path.relative(dir, p)
    };
    return shellInstalls(command, 0, {}, context).flatMap(f =>
      f.request.sources.map(s => [s.url, s.place.origin])
    );
  }
  const page = (folder: string) => {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    fs.writeFileSync(
      path.join(dir, folder, 'index.html'),
      '<a href="https://evil.example/p-1.0.tar.gz">p</a>'
    );
  };
  const EVIL = 'https://evil.example/p-1.0.tar.gz';

  it("is taken from the file's folder and from the working folder", () => {
    expect(locationPaths('wheels', '/w', '/w/sub')).toEqual([
      '/w/sub/wheels',
      '/w/wheels'
    ]);
    expect(locationPaths('../w', '/w', '/w')).toEqual(['/w']);
    expect(locationPaths('file:///a/b', '/w', '/w/sub')).toEqual([
      '/a/b',
      '/w/sub/file:/a/b',
      '/w/file:/a/b'
    ]);
    expect(locationPaths('file://h/a', '/w')).toBeNull();
  });

  it("a uv config's find-links is read from the config's folder", () => {
    fs.mkdirSync(path.join(dir, 'nb'));
    fs.writeFileSync(path.join(dir, 'uv.toml'), 'find-links = ["wheels"]\n');
    page('wheels');
    const found = sources('uv pip install --no-index p', path.join(dir, 'nb'));
    expect(found).toContainEqual([
      EVIL,
      'a link on the local page wheels/index.html'
    ]);
  });

  it("a requirements file's find-links, from the file's folder too", () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub/r.txt'), '-f wheels\np\n');
    page('sub/wheels');
    for (const tool of ['pip', 'uv pip']) {
      expect(sources(`${tool} install --no-index -r sub/r.txt`)).toContainEqual(
        [EVIL, 'a link on the local page sub/wheels/index.html']
      );
    }
  });
});
