/**
 * warden-scan over many files on every core: the file list is cut into contiguous slices, the
 * main thread scans the first and node worker_threads the others (each runs this same bundle,
 * see warden-scan.ts), and the reports are joined in file order, so the output is the same
 * as a scan in one thread.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzerOptions, Severity } from '../analyzer';
import type { IPolicyDocument } from '../contracts';
import { collectFiles, type InputError } from './inputs';
import type { ScanReport } from './report';
import { finishScan, prepareScan, scanFiles, type ScanIO } from './scan';

/** Below this many files per thread a worker's start-up (~50 ms) costs more than it saves. */
export const MIN_FILES_PER_WORKER = 150;

/** What a worker is given (structured-cloned into it). */
export interface WorkerTask {
  files: string[];
  options: AnalyzerOptions;
  minSeverity: Severity;
  policy: IPolicyDocument;
}

export function runWorkerTask(task: WorkerTask): ScanReport {
  return scanFiles(task.files, task.options, task.minSeverity, task.policy);
}

/** How many threads for `files` files: --jobs, else the cores node may use. */
export function threadCount(files: number, jobs: number | undefined): number {
  const cores =
    jobs ??
    (typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length);
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
  const slices: string[][] = [];
  for (let t = 0; t < threads; t++) {
    slices.push(
      files.slice(
        Math.floor((t * files.length) / threads),
        Math.floor(((t + 1) * files.length) / threads)
      )
    );
  }
  const task = (slice: string[]): WorkerTask => ({
    files: slice,
    options,
    minSeverity: args.minSeverity,
    policy
  });
  const others = slices.slice(1).map(slice => inWorker(script, task(slice)));
  const reports = [
    runWorkerTask(task(slices[0])),
    ...(await Promise.all(others))
  ];
  const report = joinReports(reports);
  report.errors.unshift(...inputErrors.map(e => e.message));
  return finishScan(report, args, io);
}

function inWorker(script: string, task: WorkerTask): Promise<ScanReport> {
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
