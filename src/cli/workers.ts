/**
 * warden-scan over many files on every core. The file list is cut into small batches of
 * consecutive files; the main thread and node worker_threads (each runs this same bundle,
 * see warden-scan.ts) take the next batch from one shared counter (Atomics.add on a
 * SharedArrayBuffer) until none is left, so a thread that starts late or gets less CPU on a
 * busy machine simply scans fewer batches and no thread waits for another's fixed share.
 * The batch reports are joined in batch order, so the output is the same as a scan in one
 * thread.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzerOptions, Severity } from '../analyzer';
import type { IPolicyDocument } from '../contracts';
import { collectFiles, type InputError } from './inputs';
import type { ScanReport } from './report';
import {
  finishScan,
  OwnModules,
  prepareScan,
  scanFiles,
  type ScanIO
} from './scan';
import {
  restoreV8Defaults,
  SHORT_RUN_FILES,
  tuneV8ForShortRun
} from './v8-flags';

/**
 * Below this many files per thread a worker costs more than it saves: its start-up and its
 * own JIT warm-up, and the main thread's V8 compiler and GC threads competing with it for
 * the cores. Measured on 2 idle cores (bench/whole_process_vs_peers.py, 2026-11-30):
 * 1,000 files 1.55 s on one thread vs 1.90 s on two; 10,000 files 8.36 s vs 5.50 s. Lines
 * through those points cross near 2,000 files.
 */
export const MIN_FILES_PER_WORKER = 1000;

/**
 * Files per batch: small enough that the threads finish within a few files of each other,
 * big enough that claiming one (an atomic add) and its report cost nothing next to the scan.
 */
export const BATCH_FILES = 16;

/** What a worker is given (structured-cloned into it; `next` is shared, not copied). */
export interface WorkerTask {
  files: string[];
  options: AnalyzerOptions;
  minSeverity: Severity;
  policy: IPolicyDocument;
  /** Int32 batch counter shared by every thread of the scan. */
  next: SharedArrayBuffer;
}

/** A thread's share: [batch index, its report] in the order the batches were taken. */
export type BatchReports = Array<[number, ScanReport]>;

/** Scan batches of `task.files` until the shared counter runs past the end. */
export function runWorkerTask(task: WorkerTask): BatchReports {
  const next = new Int32Array(task.next);
  const own = new OwnModules();
  const out: BatchReports = [];
  for (;;) {
    const batch = Atomics.add(next, 0, 1);
    const from = batch * BATCH_FILES;
    if (from >= task.files.length) {
      return out;
    }
    const files = task.files.slice(from, from + BATCH_FILES);
    out.push([
      batch,
      scanFiles(files, task.options, task.minSeverity, task.policy, own)
    ]);
  }
}

/**
 * How many threads for `files` files: --jobs as asked (never more threads than batches);
 * by default the cores node may use, when there are enough files for each to pay for itself.
 */
export function threadCount(files: number, jobs: number | undefined): number {
  if (jobs !== undefined) {
    return Math.max(1, Math.min(jobs, Math.ceil(files / BATCH_FILES)));
  }
  const cores =
    typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length;
  return Math.max(1, Math.min(cores, Math.floor(files / MIN_FILES_PER_WORKER)));
}

/** `script` is the file a worker runs: the CLI bundle itself. */
export async function runScanOnAllCores(
  argv: string[],
  io: ScanIO,
  script: string
): Promise<number> {
  const prepared = prepareScan(argv, io);
  if (typeof prepared === 'number') {
    return prepared;
  }
  const { args, options, policy } = prepared;
  const inputErrors: InputError[] = [];
  const files = collectFiles(args.paths, inputErrors, {
    include: args.include,
    exclude: args.exclude
  });
  const threads = threadCount(files.length, args.jobs);
  // Before any scanning and before the workers start: nothing is optimised yet. The
  // launcher already set the short-run flags (launch.ts); a bundle started directly has not.
  if (files.length / threads < SHORT_RUN_FILES) {
    tuneV8ForShortRun();
  } else {
    restoreV8Defaults();
  }
  let report: ScanReport;
  if (threads === 1) {
    report = scanFiles(files, options, args.minSeverity, policy);
  } else {
    const task: WorkerTask = {
      files,
      options,
      minSeverity: args.minSeverity,
      policy,
      next: new SharedArrayBuffer(4)
    };
    // Workers start on their own threads while this one scans.
    const others: Array<Promise<BatchReports>> = [];
    for (let t = 1; t < threads; t++) {
      others.push(inWorker(script, task));
    }
    const mine = runWorkerTask(task);
    const batches = mine.concat(...(await Promise.all(others)));
    report = joinBatches(batches, Math.ceil(files.length / BATCH_FILES));
  }
  report.errors.unshift(...inputErrors.map(e => e.message));
  return finishScan(report, args, io);
}

function inWorker(script: string, task: WorkerTask): Promise<BatchReports> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: task });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', code => {
      if (code !== 0) {
        reject(new Error(`scan worker stopped with exit code ${code}`));
      }
    });
  });
}

/**
 * The batch reports of every thread as one report in file order. Fails (rather than report
 * a partial scan as complete) unless each of the `count` batches is there exactly once.
 */
export function joinBatches(batches: BatchReports, count: number): ScanReport {
  const ordered: ScanReport[] = new Array(count);
  for (const [index, report] of batches) {
    if (!(index >= 0 && index < count) || ordered[index] !== undefined) {
      throw new Error(`scan batch ${index} reported twice or out of range`);
    }
    ordered[index] = report;
  }
  for (let i = 0; i < count; i++) {
    if (ordered[i] === undefined) {
      throw new Error(`scan batch ${i} was never scanned`);
    }
  }
  return joinReports(ordered);
}

/** Reports of consecutive slices, as one. */
export function joinReports(reports: ScanReport[]): ScanReport {
  const out: ScanReport = {
    findings: [],
    ignored: [],
    folders: new Map(),
    errors: [],
    filesScanned: 0
  };
  for (const r of reports) {
    out.findings.push(...r.findings);
    out.ignored.push(...r.ignored);
    out.errors.push(...r.errors);
    out.filesScanned += r.filesScanned;
    for (const [folder, c] of r.folders) {
      const sum = out.folders.get(folder) ?? { files: 0, findings: 0 };
      sum.files += c.files;
      sum.findings += c.findings;
      out.folders.set(folder, sum);
    }
  }
  return out;
}
