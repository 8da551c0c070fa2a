#!/usr/bin/env node
/** warden-scan: the static analyzer as a CI / pre-commit gate. See docs/static-analyzer.md. */
import { runScan } from './scan';

process.exitCode = runScan(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
});
