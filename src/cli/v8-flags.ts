/**
 * V8 settings for a short command-line run.
 *
 * A thread that scans a thousand files is done in well under a second, much of it spent
 * while TurboFan is still compiling the analyzer and the Lezer parser. Without inlining each
 * optimisation is much cheaper and the code is optimised sooner, at a cost in peak speed
 * that only a long run reaches. Measured on 2 cores (bench/whole_process_vs_peers.py files,
 * 2026-12-01): 1,000 files on one thread, wall about 5% and CPU about 12% lower; 2,000 files
 * on one thread, even; 10,000 files, 7% (two threads) to 14% (one thread) slower.
 *
 * Node warns that flags changed after start may do nothing or worse; this one is read when
 * a compile job starts, so it is set once, on the main thread, before any scanning and
 * before any worker starts (no job exists yet). It is process-wide: the workers get it too.
 */
import { setFlagsFromString } from 'node:v8';

/** Below this many files per thread a scan counts as short (the crossover is near 2,000). */
export const SHORT_RUN_FILES = 1500;

/** Each flag a short run sets, with the default it replaces. */
const SHORT_RUN_FLAGS: ReadonlyArray<[string, string]> = [
  ['--no-turbo-inlining', '--turbo-inlining']
];

export function tuneV8ForShortRun(): void {
  for (const [flag] of SHORT_RUN_FLAGS) {
    setFlagsFromString(flag);
  }
}

/**
 * Back to a plain start's flags: a V8 code cache records the flags it was made under and is
 * refused under others (src/cli/launch.ts makes it at the end of a run).
 */
export function restoreV8Defaults(): void {
  for (const [, initial] of SHORT_RUN_FLAGS) {
    setFlagsFromString(initial);
  }
}
