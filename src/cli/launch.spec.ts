/**
 * warden-scan's launcher (launch.ts) and the V8 code cache the build makes for the bundle:
 * built here into a temporary folder as scripts/bundle-cli.mjs builds bin/. The cache is
 * used on a plain start, and whatever happens to it (another bundle, a damaged or missing
 * file, other V8 flags) the scan's output stays the same.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'src', 'analyzer', 'corpus');

let dir: string;
let launcher: string;
let cacheFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-launch-'));
  const built = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'bundle-cli.mjs'), dir],
    { cwd: ROOT, encoding: 'utf8' }
  );
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  launcher = path.join(dir, 'warden-scan.js');
  cacheFile = path.join(dir, 'warden-scan-main.js.cache');
}, 120000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function scan(
  nodeFlags: string[] = [],
  scanArgs: string[] = [],
  target = CORPUS
) {
  const run = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      launcher,
      '--format',
      'json',
      '--min-severity',
      'info',
      ...scanArgs,
      target
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, WARDEN_SCAN_CODE_CACHE_REPORT: '1' }
    }
  );
  const state = /^warden-scan: code cache (\w+)$/m.exec(run.stderr)?.[1];
  const workers = [
    ...run.stderr.matchAll(/^warden-scan worker: code cache (\w+)$/gm)
  ].map(m => m[1]);
  return { status: run.status, stdout: run.stdout, state, workers };
}

describe('the code cache', () => {
  it('is made by the build and used by a plain start', () => {
    const run = scan();
    expect(run.state).toBe('used');
    expect(run.status).toBe(1); // the corpus has findings
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(20);
  });

  it('is used by the scan workers of a short scan, with the same output', () => {
    // Two threads need two batches of files (workers.ts BATCH_FILES): 48 corpus copies.
    const many = path.join(dir, 'many');
    fs.mkdirSync(many);
    const files = fs.readdirSync(CORPUS).filter(f => f.endsWith('.py'));
    for (let i = 0; i < 48; i++) {
      const name = files[i % files.length];
      fs.copyFileSync(path.join(CORPUS, name), path.join(many, `${i}_${name}`));
    }
    const one = scan([], ['--jobs', '1'], many);
    expect(one.workers).toEqual([]);
    const two = scan([], ['--jobs', '2'], many);
    expect(two).toMatchObject({ state: 'used', workers: ['used'] });
    expect(two.stdout).toBe(one.stdout);
  });

  it('is refused, and the output is the same, when it is not this bundle’s or V8 says no', () => {
    const expected = scan().stdout;
    const saved = fs.readFileSync(cacheFile);
    try {
      // Made from another bundle: its first 32 bytes are that bundle's SHA-256.
      const other = Buffer.from(saved);
      other[0] ^= 0xff;
      fs.writeFileSync(cacheFile, other);
      expect(scan()).toMatchObject({ state: 'stale', stdout: expected });
      // This bundle's hash, but bytes V8 cannot take.
      const damaged = Buffer.from(saved);
      damaged.fill(0x41, 40, 4096);
      fs.writeFileSync(cacheFile, damaged);
      expect(scan()).toMatchObject({ state: 'rejected', stdout: expected });
      fs.rmSync(cacheFile);
      expect(scan()).toMatchObject({ state: 'absent', stdout: expected });
    } finally {
      fs.writeFileSync(cacheFile, saved);
    }
    // Other V8 flags than the cache was made under.
    expect(scan(['--max-lazy'])).toMatchObject({
      state: 'rejected',
      stdout: expected
    });
    expect(scan().state).toBe('used');
  });
});
