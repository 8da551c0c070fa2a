/**
 * uv.lock local sources on the static side (static50, the kernel's fix49uv `toml_files`): a
 * `path`/`directory`/`editable`/`virtual` source read as a project at the lock's folder, the
 * release each is locked as, each `filename`/`path` decided by its file name (offered.ts). The
 * shared vectors (static50: ...) pin the decisions both sides make.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellInstalls } from './commands';
import { releases } from './offered';
import { COMMAND_LINE } from './request';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-offered-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

function request(command: string, cwd = dir) {
  const context = {
    cwd,
    place: COMMAND_LINE,
    env: {},
    readFile: (p: string) => fs.readFileSync(p, 'utf8'),
    label: (p: string) => path.relative(dir, p)
  };
  return shellInstalls(command, 0, {}, context)[0].request;
}

const PROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n';
const lock = (...packages: string[]) =>
  'version = 1\nrevision = 3\n\n' +
  [
    '[[package]]\nname = "demo"\nversion = "0.1.0"\nsource = { virtual = "." }\n',
    ...packages
  ].join('\n');

describe('releases (an sdist file name)', () => {
  it('gives every split at a dash before a version', () => {
    expect(releases('a-b-1.0-2.tar.gz')).toEqual([
      ['a-b', '1.0-2'],
      ['a-b-1-0', '2']
    ]);
    expect(releases('Torch-2.5.1.zip')).toEqual([['torch', '2.5.1']]);
    expect(releases('nothing.tar.gz')).toEqual([]);
    expect(releases('x-1.0-py3-none-any.whl')).toEqual([]);
  });
});

describe('a uv.lock package from a local source', () => {
  it("is read as a project in the lock's folder, not the working folder", () => {
    write('proj/pyproject.toml', PROJECT);
    write(
      'proj/uv.lock',
      lock(
        '[[package]]\nname = "sub"\nversion = "0.2"\nsource = { directory = "sub" }\n'
      )
    );
    write(
      'proj/sub/pyproject.toml',
      '[project]\nname = "sub"\ndependencies = ["aiohtt"]\n'
    );
    fs.mkdirSync(path.join(dir, 'proj/nb')); // uv finds the project from here up
    const req = request('uv sync', path.join(dir, 'proj/nb'));
    const names = req.requirements.map(r => r.name);
    expect(names).toContain('aiohtt');
    const local = req.requirements.find(
      r => r.kind === 'path' && r.text === 'sub'
    );
    expect(local?.base).toBe(path.join(dir, 'proj'));
    expect(local?.place.origin).toBe(
      'proj/uv.lock package sub directory source'
    );
  });

  it('is decided as the release it is locked as (by name alone without a version)', () => {
    write('pyproject.toml', PROJECT);
    write(
      'uv.lock',
      lock(
        '[[package]]\nname = "Torch"\nversion = "2.5.1"\nsource = { editable = "t" }\n',
        '[[package]]\nname = "other"\nsource = { path = "o" }\n'
      )
    );
    const offered = request('uv sync').requirements.filter(
      r => r.kind === 'offered'
    );
    expect(
      offered.map(r => [r.name, r.artifact, r.artifactVersion, r.place.origin])
    ).toEqual([
      ['demo', 'demo', '0.1.0', 'uv.lock package demo offers demo 0.1.0'],
      ['torch', 'torch', '2.5.1', 'uv.lock package Torch offers Torch 2.5.1'],
      [null, 'other', null, 'uv.lock package other offers other (local)']
    ]);
  });

  it('names its files by name and version; one it cannot place is a problem', () => {
    write('pyproject.toml', PROJECT);
    write(
      'uv.lock',
      lock(
        '[[package]]\nname = "w"\nversion = "1.0"\nsource = { path = "w" }\n' +
          'sdist = { path = "w-1.0.tar.gz" }\n' +
          'wheels = [\n  { filename = "w-1.0-py3-none-any.whl" },\n  { path = "blob.bin" },\n]\n',
        '[[package]]\nname = "x"\nversion = "1.0"\nsource = { path = 7 }\n'
      )
    );
    const req = request('uv sync');
    const files = req.requirements
      .filter(
        r => r.kind === 'offered' && / (sdist|wheels) /.test(r.place.origin)
      )
      .map(r => [r.text, r.artifact, r.artifactVersion]);
    expect(files).toEqual([
      ['w-1.0.tar.gz', 'w', '1.0'],
      ['w-1.0-py3-none-any.whl', 'w', '1.0']
    ]);
    expect(req.problems.map(p => p.text)).toEqual([
      'uv.lock package w wheels offers blob.bin, which is not a wheel file name Warden can read (name-version-tags.whl): it cannot tell which project and version it installs; rename or remove the file',
      'uv.lock package x: its path source is not a path'
    ]);
  });

  it('a registry package is a pin of its locked version', () => {
    write('pyproject.toml', PROJECT);
    write(
      'uv.lock',
      lock(
        '[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n'
      )
    );
    const six = request('uv sync').requirements.find(r => r.name === 'six');
    expect([six?.kind, six?.pin]).toEqual(['name', '1.16.0']);
  });
});
