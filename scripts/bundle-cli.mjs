#!/usr/bin/env node
/*
 * Bundles the warden-scan CLI (src/cli, src/analyzer, @lezer/*) into one CommonJS file:
 *
 *   node scripts/bundle-cli.mjs [OUTFILE]        (default bin/warden-scan.js)
 *
 * The bundle is committed: npm installs a package from git (as pre-commit does for a
 * `language: node` hook) without its dev dependencies, so the CLI must not need a build
 * there. src/cli/bundle.spec.ts rebuilds it and fails when the committed file is stale.
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
