#!/usr/bin/env node
/*
 * Bundles the warden-scan CLI (src/cli, src/analyzer, @lezer/*) into one CommonJS file:
 *
 *   node scripts/bundle-cli.mjs [OUTFILE]        (default bin/warden-scan.js)
 *
 * The bundle is built, never committed: `prepare` / `prepack` run this script, so a packed or
 * git-installed copy (pre-commit's `language: node` hook) carries it
 * (src/cli/git-install.spec.ts). The same file is the scan worker of src/cli/workers.ts.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.resolve(
  process.argv[2] ?? path.join(root, 'bin', 'warden-scan.js')
);

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/warden-scan.ts'],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  outfile,
  legalComments: 'none',
  logLevel: 'warning'
});
