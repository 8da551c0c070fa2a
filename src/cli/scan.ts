/** warden-scan as a function: arguments in, output and exit status out (no process globals). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeCell,
  analyzeNotebook,
  optionsFromPolicy,
  SEVERITIES,
  EMPTY_SCOPE,
  type AnalyzerOptions
} from '../analyzer';
import {
  parseScanArguments,
  UsageError,
  USAGE,
  type ScanArguments
} from './args';
import { collectFiles, InputError, readSource } from './inputs';
import { renderJson, renderText, type ScanReport } from './report';
import { renderSarif } from './sarif';

export interface ScanIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export function runScan(argv: string[], io: ScanIO): number {
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
  let options: AnalyzerOptions;
  try {
    options = analyzerOptions(args);
  } catch (e) {
    io.stderr(`warden-scan: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
  const report = scanPaths(args.paths, options, args.minSeverity);
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

function analyzerOptions(args: ScanArguments): AnalyzerOptions {
  let options: AnalyzerOptions = {};
  if (args.policyFile) {
    let policy: unknown;
    try {
      policy = JSON.parse(fs.readFileSync(args.policyFile, 'utf8'));
    } catch (e) {
      throw new Error(
        `cannot read policy ${args.policyFile}: ${(e as Error).message}`
      );
    }
    options = optionsFromPolicy(
      policy as Parameters<typeof optionsFromPolicy>[0]
    );
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
  return options;
}

/** Scan files and folders; unreadable ones are reported in `errors` and skipped. */
export function scanPaths(
  paths: string[],
  options: AnalyzerOptions,
  minSeverity: (typeof SEVERITIES)[number] = 'info'
): ScanReport {
  const inputErrors: InputError[] = [];
  const files = collectFiles(paths, inputErrors);
  const report: ScanReport = {
    findings: [],
    errors: inputErrors.map(e => e.message),
    filesScanned: 0
  };
  const threshold = SEVERITIES.indexOf(minSeverity);
  for (const file of files) {
    let source;
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
    const perUnit =
      source.kind === 'python'
        ? [
            analyzeCell(source.units[0], EMPTY_SCOPE, {
              ...options,
              ipython: false
            }).findings
          ]
        : analyzeNotebook(source.units, options);
    perUnit.forEach((findings, i) => {
      for (const finding of findings) {
        if (SEVERITIES.indexOf(finding.severity) >= threshold) {
          report.findings.push({
            path: file,
            cell: source.kind === 'notebook' ? i : null,
            finding
          });
        }
      }
    });
  }
  return report;
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
