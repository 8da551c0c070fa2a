#!/usr/bin/env node
/**
 * warden-scan's entry point: runs the CLI bundle (warden-scan-main.js, next to this file)
 * with the V8 code cache the build made for it.
 *
 * A 1,000-file scan takes about half a second, and compiling the 0.7 MB bundle, first its
 * top level and then each function the scan calls, is a measurable part of it. The cache
 * holds that bytecode (made by a scan of the project's own corpus at build time, see
 * scripts/bundle-cli.mjs), so V8 loads instead of compiling. Node 22's
 * `module.enableCompileCache()` does the same, but writes its cache at run time into a
 * shared folder; Node 20 has nothing built in.
 *
 * The cache is only ever an optimisation: it is used when it was made from exactly this
 * bundle (its SHA-256 is the first 32 bytes; V8 itself checks only the source's length, its
 * own version and flags) and V8 accepts it, else the bundle is compiled as usual. It sits
 * next to the bundle, written by the same build, so it is as trusted as the bundle.
 *
 * `WARDEN_SCAN_WRITE_CODE_CACHE=1` (the build's training run) writes the cache when the
 * scan ends: only to the fixed path next to the bundle, only from this bundle's source.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { tuneV8ForShortRun } from './v8-flags';

const bundle = path.join(__dirname, 'warden-scan-main.js');
const cacheFile = `${bundle}.cache`;
const HASH_BYTES = 32;

const source = fs.readFileSync(bundle, 'utf8');
const digest = createHash('sha256').update(source).digest();
const writing =
  isMainThread && process.env.WARDEN_SCAN_WRITE_CODE_CACHE === '1';

// V8 takes a code cache only under the flags it was made with. A scan is short (v8-flags.ts)
// until its file count says otherwise, so the cache is made and loaded under the short-run
// flags: the main thread sets them here, before any compile job exists, and a long scan
// puts the defaults back before it starts (workers.ts); a worker of a short scan then finds
// the same flags and loads the cache too. A worker never changes the process-wide flags.
if (isMainThread) {
  tuneV8ForShortRun();
}

/** The cache made from this very source, or why there is none. */
function cachedData(): Buffer | 'absent' | 'stale' {
  let data: Buffer;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return 'absent';
  }
  return data.length > HASH_BYTES && data.subarray(0, HASH_BYTES).equals(digest)
    ? data.subarray(HASH_BYTES)
    : 'stale';
}

const cache = writing ? 'absent' : cachedData();

// The same function wrapper Node gives a CommonJS module; a shebang is not JavaScript.
const script = new vm.Script(
  '(function (exports, require, module, __filename, __dirname) { ' +
    source.replace(/^#!.*/, '') +
    '\n})',
  {
    filename: bundle,
    cachedData: typeof cache === 'string' ? undefined : cache
  }
);
if (process.env.WARDEN_SCAN_CODE_CACHE_REPORT === '1') {
  // For tests and speed work: whether this start compiled the bundle or loaded it.
  const state =
    typeof cache === 'string'
      ? cache
      : script.cachedDataRejected
        ? 'rejected'
        : 'used';
  process.stderr.write(
    `warden-scan${isMainThread ? '' : ' worker'}: code cache ${state}\n`
  );
}

if (writing) {
  process.on('exit', () => {
    // The flags a start loads the cache under (above): the scan may have changed them.
    tuneV8ForShortRun();
    fs.writeFileSync(
      cacheFile,
      Buffer.concat([digest, script.createCachedData()])
    );
  });
}

const main = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  main.exports,
  createRequire(bundle),
  main,
  bundle,
  path.dirname(bundle)
);
