/**
 * warden-scan on several threads: the shipped bundle (built here into a temporary file) is
 * run as a process with --jobs 2 and --jobs 1 over the same folder of realistic files; the
 * outputs must be identical (slices joined in file order).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  BATCH_FILES,
  joinBatches,
  threadCount,
  MIN_FILES_PER_WORKER
} from './workers';
import type { ScanReport } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'src', 'analyzer', 'corpus');
// enough batches for every thread count the runs below ask for
const FILES = 8 * BATCH_FILES + 20;

let dir: string;
let bundle: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-workers-'));
  bundle = path.join(dir, 'warden-scan.js');
  const built = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'bundle-cli.mjs'), dir],
    { cwd: ROOT, encoding: 'utf8' }
  );
  expect(built.status).toBe(0);
  const sources = fs
    .readdirSync(CORPUS)
    .filter(f => f.endsWith('.py'))
    .map(f => fs.readFileSync(path.join(CORPUS, f), 'utf8'));
  const tree = path.join(dir, 'tree');
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(tree, `part${i % 7}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(sub, `f${i}.py`),
      sources[i % sources.length].replace(/^# %%.*$/gm, '')
    );
  }
}, 60000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(jobs: string) {
  return spawnSync(
    process.execPath,
    [
      bundle,
      '--format',
      'json',
      '--min-severity',
      'info',
      '--jobs',
      jobs,
      'tree'
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 28
    }
  );
}

it('gives the same report on two and three threads as on one', () => {
  const one = run('1');
  const two = run('2');
  const three = run('3');
  expect(one.status).toBe(1);
  expect(two.status).toBe(1);
  expect(three.status).toBe(1);
  expect(JSON.parse(one.stdout).findings.length).toBeGreaterThan(100);
  // More batches than threads, so the threads really interleave batches.
  expect(FILES).toBeGreaterThan(6 * BATCH_FILES);
  expect(two.stdout).toBe(one.stdout);
  expect(three.stdout).toBe(one.stdout);
}, 90000);

function batch(file: string): ScanReport {
  return {
    findings: [],
    ignored: [],
    folders: new Map([['d', { files: 1, findings: 0 }]]),
    errors: [file],
    filesScanned: 1
  };
}

it('joins batches from any thread in batch order, and refuses a missing or doubled one', () => {
  const joined = joinBatches(
    [
      [2, batch('c')],
      [0, batch('a')],
      [1, batch('b')]
    ],
    3
  );
  expect(joined.errors).toEqual(['a', 'b', 'c']);
  expect(joined.filesScanned).toBe(3);
  expect(joined.folders.get('d')).toEqual({ files: 3, findings: 0 });
  expect(() => joinBatches([[0, batch('a')]], 2)).toThrow(
    /batch 1 was never scanned/
  );
  expect(() =>
    joinBatches(
      [
        [0, batch('a')],
        [0, batch('a')]
      ],
      1
    )
  ).toThrow(/reported twice/);
});

it('uses one thread for small scans and at most the cores asked for', () => {
  expect(threadCount(10, undefined)).toBe(1);
  expect(threadCount(MIN_FILES_PER_WORKER * 2 - 1, undefined)).toBe(1);
  expect(threadCount(MIN_FILES_PER_WORKER * 2, undefined)).toBe(
    Math.min(2, os.availableParallelism())
  );
  // --jobs is taken as asked, up to one thread per batch
  expect(threadCount(MIN_FILES_PER_WORKER * 8, 2)).toBe(2);
  expect(threadCount(3 * BATCH_FILES, 8)).toBe(3);
  expect(threadCount(10, 4)).toBe(1);
});
