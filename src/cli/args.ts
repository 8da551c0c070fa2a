/** Command-line arguments of warden-scan. */
import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../analyzer';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface ScanArguments {
  format: OutputFormat;
  minSeverity: Severity;
  paths: string[];
  policyFile?: string;
  trustedIndexes: string[];
  trustedHubs: string[];
  include: string[];
  exclude: string[];
  /** Threads to scan with (--jobs); undefined: every core node may use, for big scans. */
  jobs?: number;
}

export const USAGE = `usage: warden-scan [--format text|json|sarif] [--min-severity info|low|medium|high|critical]
                   [--policy POLICY.json] [--trusted-index URL]... [--trusted-hub HOST]...
                   [--include GLOB]... [--exclude GLOB]... [--jobs N] PATH...

Scans .py and .ipynb files (folders recursively; symlinks only inside the folder) for unsafe
model and data loading. --include/--exclude match paths relative to each folder given
('tests/**', '*.ipynb'; a pattern without '/' matches a name at any depth).
'# warden: ignore[rule-id] reason' on a line lifts that rule there when the policy allows.
--jobs N: threads (default: every core, with 1,000 files or more per thread).
Exit status: 0 nothing at or above --min-severity (default: low), 1 findings, 2 usage error
or a file that could not be read or parsed (the other files are still scanned).`;

export class UsageError extends Error {}

export function parseScanArguments(argv: string[]): ScanArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        'min-severity': { type: 'string', default: 'low' },
        policy: { type: 'string' },
        'trusted-index': { type: 'string', multiple: true, default: [] },
        'trusted-hub': { type: 'string', multiple: true, default: [] },
        include: { type: 'string', multiple: true, default: [] },
        exclude: { type: 'string', multiple: true, default: [] },
        jobs: { type: 'string', short: 'j' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    return 'help';
  }
  const format = v.format as string;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(
      `--format must be text, json or sarif, not '${format}'`
    );
  }
  const minSeverity = v['min-severity'] as string;
  if (!(SEVERITIES as readonly string[]).includes(minSeverity)) {
    throw new UsageError(
      `--min-severity must be one of ${SEVERITIES.join(', ')}, not '${minSeverity}'`
    );
  }
  const jobsText = v.jobs as string | undefined;
  const jobs = jobsText === undefined ? undefined : Number(jobsText);
  if (
    jobs !== undefined &&
    !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 256)
  ) {
    throw new UsageError(
      `--jobs must be a whole number from 1 to 256, not '${jobsText}'`
    );
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError('no PATH given');
  }
  return {
    format,
    minSeverity: minSeverity as Severity,
    paths: parsed.positionals,
    policyFile: v.policy as string | undefined,
    trustedIndexes: v['trusted-index'] as string[],
    trustedHubs: v['trusted-hub'] as string[],
    include: v.include as string[],
    exclude: v.exclude as string[],
    jobs
  };
}
