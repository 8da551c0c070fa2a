#!/usr/bin/env node
/**
 * warden-scan: the static analyzer as a CI / pre-commit gate. See docs/static-analyzer.md.
 * The same bundle is the scan worker (workers.ts): in a worker thread it scans its slice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runScanOnAllCores, runWorkerTask, type WorkerTask } from './workers';

if (isMainThread) {
  // `warden-scan ... | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      throw e;
    }
    process.exit();
  });
  runScanOnAllCores(
    process.argv.slice(2),
    {
      stdout: text => process.stdout.write(text),
      stderr: text => process.stderr.write(text)
    },
    workerScript()
  ).then(
    code => (process.exitCode = code),
    err => {
      process.stderr.write(`warden-scan: ${(err as Error).message}\n`);
      process.exitCode = 2;
    }
  );
} else {
  parentPort!.postMessage(runWorkerTask(workerData as WorkerTask));
}

/**
 * What a scan worker runs: the launcher next to this bundle (launch.ts), so a worker loads
 * the bundle with its code cache as the main thread did; this file itself elsewhere (the tsc
 * build in lib/cli, where the file of that name is this one).
 */
function workerScript(): string {
  const launcher = path.join(__dirname, 'warden-scan.js');
  return fs.existsSync(launcher) ? launcher : __filename;
}
