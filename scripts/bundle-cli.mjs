#!/usr/bin/env node
/*
 * Bundles the warden-scan CLI (src/cli, src/analyzer, @lezer/*) and makes its V8 code cache:
 *
 *   node scripts/bundle-cli.mjs [OUTDIR]        (default bin/)
 *
 * OUTDIR/warden-scan-main.js is the CLI in one CommonJS file, also the scan worker of
 * src/cli/workers.ts; OUTDIR/warden-scan.js (src/cli/launch.ts) starts it with
 * OUTDIR/warden-scan-main.js.cache, which a training scan with the launcher writes here: one
 * scan of the project's own inputs (the analyzer corpus, a notebook, dependency manifests)
 * on one thread, so the functions a scan calls are in the cache.
 *
 * All three are built, never committed: `prepare` / `prepack` run this script, so a packed or
 * git-installed copy (pre-commit's `language: node` hook) carries them
 * (src/cli/git-install.spec.ts).
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'bin'));
const launcher = path.join(outdir, 'warden-scan.js');
const main = path.join(outdir, 'warden-scan-main.js');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning'
};
await build({
  ...common,
  entryPoints: ['src/cli/warden-scan.ts'],
  outfile: main
});
await build({
  ...common,
  entryPoints: ['src/cli/launch.ts'],
  outfile: launcher
});
fs.chmodSync(launcher, 0o755);

// The training scan: its findings and exit code do not matter, only that it ran.
fs.rmSync(`${main}.cache`, { force: true });
const training = [
  'src/analyzer/corpus',
  'src/cli/testdata',
  'src/deps/testdata'
];
const scan = spawnSync(
  process.execPath,
  [
    launcher,
    '--jobs',
    '1',
    '--format',
    'json',
    '--min-severity',
    'info',
    ...training
  ],
  {
    cwd: root,
    env: { ...process.env, WARDEN_SCAN_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8'
  }
);
if (!fs.existsSync(`${main}.cache`)) {
  console.error(
    `bundle-cli: the code-cache scan wrote no cache (exit ${scan.status}):\n${scan.stderr}`
  );
  process.exit(1);
}
