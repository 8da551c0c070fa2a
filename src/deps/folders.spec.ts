/**
 * Red team 11 R11-2 on the static side: uv finds its config and project from the PHYSICAL
 * folder it runs in, so `!cd link && uv pip install ...` (link to far/sub) reads far/uv.toml,
 * not the config above the link's own folder (folders.ts, as the kernel's folders.py).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanCellInstalls } from './scan';

const EVIL = 'https://evil.example/simple';
let dir: string;
let work: string;

beforeEach(() => {
  dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'warden-folders-'))
  );
  work = path.join(dir, 'work');
  fs.mkdirSync(path.join(dir, 'far', 'sub'), { recursive: true });
  fs.mkdirSync(work);
  fs.symlinkSync(path.join(dir, 'far', 'sub'), path.join(work, 'link'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) =>
  fs.writeFileSync(path.join(dir, name), text);
const rules = (cell: string) =>
  scanCellInstalls(path.join(work, 'train.ipynb'), cell, {})
    .map(f => f.finding.ruleId)
    .sort();

describe('R11-2: upward searches start from the folder uv runs in', () => {
  it('reads the uv.toml above a linked folder, not above the link', () => {
    write('far/uv.toml', `index-url = "${EVIL}"\n`);
    expect(rules('!cd link && uv pip install numpy')).toContain(
      'install-index-not-allowed'
    );
    expect(rules('!uv pip install numpy')).toEqual([]);
  });

  it('syncs the project above the link target', () => {
    write(
      'far/pyproject.toml',
      `[project]\nname = "p"\ndependencies = ["numpy"]\n[tool.uv]\nindex-url = "${EVIL}"\n`
    );
    write('work/pyproject.toml', '[project]\nname = "decoy"\n');
    expect(rules('!cd link && uv sync')).toContain('install-index-not-allowed');
  });

  it('does not hold a config beside the link against an install through it', () => {
    write('work/uv.toml', `index-url = "${EVIL}"\n`);
    write('far/sub/pyproject.toml', '[project]\nname = "p"\n');
    expect(rules('!cd link && uv pip install numpy')).toEqual([]);
    expect(rules('!cd link && uv sync')).toEqual([]);
  });
});
