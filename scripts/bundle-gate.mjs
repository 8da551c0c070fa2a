#!/usr/bin/env node
/*
 * Bundles the server gate's analyzer (src/servergate/engine.ts with src/analyzer, the policy
 * logic and @lezer/*) into one script for the embedded V8 the lab server runs
 * (py_mini_racer): browser platform, no fs/process, one global `WardenGateEngine`.
 *
 *   node scripts/bundle-gate.mjs [OUTFILE]   (default jupyterlab_warden/lab/gate/analyzer.bundle.js)
 *
 * Built, never committed (.gitignore): `npm run build` / the wheel build / `make install` make
 * it; without it the server gate refuses every request and says why.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.resolve(
  process.argv[2] ??
    path.join(root, 'jupyterlab_warden', 'lab', 'gate', 'analyzer.bundle.js')
);

await build({
  absWorkingDir: root,
  entryPoints: ['src/servergate/engine.ts'],
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  format: 'iife',
  globalName: 'WardenGateEngine',
  outfile,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning'
});
