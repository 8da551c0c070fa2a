#!/usr/bin/env node
/** warden-scan: the static analyzer as a CI / pre-commit gate. See docs/static-analyzer.md. */
import { runScan } from './scan';

// `warden-scan ... | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') {
    throw e;
  }
  process.exit();
});

process.exitCode = runScan(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
});
