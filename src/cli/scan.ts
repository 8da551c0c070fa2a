/** warden-scan as a function: arguments in, output and exit status out (no process globals). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeCell,
  analyzeNotebookCells,
  ignoreHonoured,
  optionsFromPolicy,
  SEVERITIES,
  EMPTY_SCOPE,
  type AnalyzerOptions,
  type Severity
} from '../analyzer';
import type { IPolicyDocument } from '../contracts';
import { decide } from '../policy/policy';
import {
  parseScanArguments,
  UsageError,
  USAGE,
  type ScanArguments
} from './args';
import {
  collectFiles,
  InputError,
  readSource,
  type PathFilter,
  type SourceFile
} from './inputs';
import {
  renderJson,
  renderText,
  type ScanFinding,
  type ScanReport
} from './report';
import { renderSarif } from './sarif';
import { DependencyScan } from './dependencies';

export interface ScanIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** What a scan needs once its arguments are read: or the exit status to stop with. */
export interface PreparedScan {
  args: ScanArguments;
  options: AnalyzerOptions;
  policy: IPolicyDocument;
}

export function prepareScan(argv: string[], io: ScanIO): PreparedScan | number {
  let args: ScanArguments | 'help';
  try {
    args = parseScanArguments(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`warden-scan: ${e.message}\n${USAGE}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
  if (args === 'help') {
    io.stdout(USAGE + '\n');
    return EXIT_CLEAN;
  }
  try {
    const [options, policy] = analyzerOptions(args);
    return { args, options, policy };
  } catch (e) {
    io.stderr(`warden-scan: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
}

/** Write the report in the chosen format; the exit status. */
export function finishScan(
  report: ScanReport,
  args: ScanArguments,
  io: ScanIO
): number {
  for (const error of report.errors) {
    io.stderr(`warden-scan: ${error}\n`);
  }
  if (args.format === 'json') {
    io.stdout(renderJson(report));
  } else if (args.format === 'sarif') {
    io.stdout(renderSarif(report, packageVersion()));
  } else {
    io.stdout(renderText(report));
  }
  if (report.errors.length > 0) {
    return EXIT_ERROR;
  }
  return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** warden-scan in this thread (tests, small scans); workers.ts spreads big ones over cores. */
export function runScan(argv: string[], io: ScanIO): number {
  const prepared = prepareScan(argv, io);
  if (typeof prepared === 'number') {
    return prepared;
  }
  const { args, options, policy } = prepared;
  const report = scanPaths(args.paths, options, args.minSeverity, policy, {
    include: args.include,
    exclude: args.exclude
  });
  return finishScan(report, args, io);
}

function analyzerOptions(
  args: ScanArguments
): [AnalyzerOptions, IPolicyDocument] {
  let options: AnalyzerOptions = {};
  let document: IPolicyDocument = { schema_version: 1, revision: 0 };
  if (args.policyFile) {
    let policy: unknown;
    try {
      policy = JSON.parse(fs.readFileSync(args.policyFile, 'utf8'));
    } catch (e) {
      throw new Error(
        `cannot read policy ${args.policyFile}: ${(e as Error).message}`
      );
    }
    document = policy as IPolicyDocument;
    options = optionsFromPolicy(document);
  }
  if (args.trustedIndexes.length > 0) {
    options.trustedIndexes = [
      ...(options.trustedIndexes ?? []),
      ...args.trustedIndexes
    ];
  }
  if (args.trustedHubs.length > 0) {
    options.trustedModelHubs = [
      ...(options.trustedModelHubs ?? []),
      ...args.trustedHubs
    ];
  }
  return [options, document];
}

/** Scan files and folders; unreadable ones are reported in `errors` and skipped. */
export function scanPaths(
  paths: string[],
  options: AnalyzerOptions,
  minSeverity: Severity = 'info',
  policy: IPolicyDocument = DEFAULT_POLICY,
  filter: PathFilter = {}
): ScanReport {
  const inputErrors: InputError[] = [];
  const files = collectFiles(paths, inputErrors, filter);
  const report = scanFiles(files, options, minSeverity, policy);
  report.errors.unshift(...inputErrors.map(e => e.message));
  return report;
}

export const DEFAULT_POLICY: IPolicyDocument = {
  schema_version: 1,
  revision: 0
};

/**
 * Scan these files, in order (a thread gets batches of consecutive files); `own` caches
 * each folder's own modules across the batches of one thread.
 */
export function scanFiles(
  files: readonly string[],
  options: AnalyzerOptions,
  minSeverity: Severity,
  policy: IPolicyDocument,
  own: OwnModules = new OwnModules()
): ScanReport {
  const report: ScanReport = {
    findings: [],
    ignored: [],
    folders: new Map(),
    errors: [],
    filesScanned: 0
  };
  const reply = {
    effective: policy,
    provenance: {},
    source: 'cli',
    revision: policy.revision ?? 0,
    errors: [],
    sources: []
  };
  const threshold = SEVERITIES.indexOf(minSeverity);
  const dependencies = new DependencyScan(
    policy,
    options,
    report,
    reply,
    threshold
  );
  for (const file of files) {
    if (dependencies.scanManifest(file)) {
      continue; // requirements*.txt, pyproject.toml, environment.yml: src/deps
    }
    let source: SourceFile;
    try {
      source = readSource(file);
    } catch (e) {
      report.errors.push(
        e instanceof InputError ? e.message : `${file}: ${(e as Error).message}`
      );
      continue;
    }
    if (source.language !== null && source.language !== 'python') {
      continue;
    }
    report.filesScanned++;
    const folder = path.dirname(file);
    const counts = report.folders.get(folder) ?? { files: 0, findings: 0 };
    counts.files++;
    report.folders.set(folder, counts);
    const fileOptions: AnalyzerOptions = {
      ...options,
      ownModules: own.of(folder),
      notebookIgnores: source.ignores
    };
    const perUnit =
      source.kind === 'python'
        ? [
            analyzeCell(source.units[0], EMPTY_SCOPE, {
              ...fileOptions,
              ipython: false
            }).findings
          ]
        : dependencies.withCellInstalls(
            file,
            source.units,
            analyzeNotebookCells(source.units, fileOptions)
          );
    const unpinned = new Map<string, ScanFinding>();
    perUnit.forEach((findings, i) => {
      const unit = source.units[i];
      for (const finding of findings) {
        const decided = decide(reply, finding.ruleId);
        const severity = decided.severity;
        if (
          SEVERITIES.indexOf(severity) < threshold ||
          decided.action === 'off'
        ) {
          continue;
        }
        const located: ScanFinding = {
          path: file,
          cell: source.kind === 'notebook' ? i : null,
          finding: { ...finding, severity },
          codePointColumn: codePointColumn(unit, finding.from)
        };
        if (finding.ignored && ignoreHonoured(decided.action, policy.ignore)) {
          report.ignored.push(located);
          continue;
        }
        if (finding.ruleId === UNPINNED) {
          // One finding per file and repository: the same checkpoint's tokenizer, model and
          // config loads are one decision (pin that repository).
          const repo = repositoryOf(unit.slice(finding.from, finding.to));
          const first = repo === null ? undefined : unpinned.get(repo);
          if (first) {
            (first.sameRepository ??= []).push([
              located.cell,
              finding.line,
              finding.column
            ]);
            continue;
          }
          if (repo !== null) {
            unpinned.set(repo, located);
          }
        }
        report.findings.push(located);
        counts.findings++;
      }
    });
  }
  return report;
}

const UNPINNED = 'hf-unpinned-revision';

/** The repository a hub call names: its first string literal, or its first argument's text. */
function repositoryOf(call: string): string | null {
  const open = call.indexOf('(');
  if (open < 0) {
    return null;
  }
  const m =
    /^\s*(?:[A-Za-z_]\w*\s*=\s*)?(?:[rRuU]?(["'])([^"'\n]*)\1|([^,)]+))/.exec(
      call.slice(open + 1)
    );
  return m ? (m[2] ?? m[3].trim()) : null;
}

/** 1-based column of a UTF-16 offset counted in code points (Python's count). */
function codePointColumn(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let n = 1;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === lineStart) {
      n++;
    } else if (
      text.charCodeAt(i - 1) < 0xd800 ||
      text.charCodeAt(i - 1) > 0xdbff
    ) {
      n++;
    }
  }
  return n;
}

/**
 * The project's own top-level modules per folder: .py files and packages next to the file
 * (model.py beside train.py), so `from model import GPT` is known to be the project's code.
 */
export class OwnModules {
  private readonly cache = new Map<string, ReadonlySet<string>>();

  of(folder: string): ReadonlySet<string> {
    let mods = this.cache.get(folder);
    if (mods === undefined) {
      const set = new Set<string>();
      try {
        for (const e of fs.readdirSync(folder, { withFileTypes: true })) {
          if (e.isFile() && /^[A-Za-z_]\w*\.py$/.test(e.name)) {
            set.add(e.name.slice(0, -3));
          } else if (
            e.isDirectory() &&
            /^[A-Za-z_]\w*$/.test(e.name) &&
            fs.existsSync(path.join(folder, e.name, '__init__.py'))
          ) {
            set.add(e.name);
          }
        }
      } catch {
        // unreadable folder: no own modules known
      }
      mods = set;
      this.cache.set(folder, mods);
    }
    return mods;
  }
}

/** Version from the nearest package.json of this package above the build or the sources. */
function packageVersion(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8')
      ) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'jupyterlab-warden' && pkg.version) {
        return pkg.version;
      }
    } catch {
      // not here: look one folder up
    }
  }
  return '0.0.0';
}
