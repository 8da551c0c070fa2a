/**
 * warden-scan run in-process on a notebook or files written for one spec: the red-team
 * proofs of the static side (rounds 45c, 46b) each wrote the same notebook and parsed the
 * same JSON report. One helper, so a change to the report's shape is made once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScan } from '../cli/scan';

/** A fresh temporary folder whose name starts with `prefix`. */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A notebook of code cells (`cells`: their sources) written to `file`. */
export function writeNotebook(file: string, cells: string[]): void {
  fs.writeFileSync(
    file,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map(source => ({
        cell_type: 'code',
        metadata: {},
        source,
        outputs: [],
        execution_count: null
      }))
    })
  );
}

/**
 * `warden-scan --format json --min-severity info ARGS` (run in `cwd` when given, as a
 * relative argument is read from there): every finding's rule id, in the report's order,
 * and what the scan wrote to stderr.
 */
export function scanRuleIds(
  args: string[],
  cwd?: string
): { ruleIds: string[]; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const here = process.cwd();
  if (cwd !== undefined) {
    process.chdir(cwd);
  }
  try {
    runScan(['--format', 'json', '--min-severity', 'info', ...args], {
      stdout: t => out.push(t),
      stderr: t => err.push(t)
    });
  } finally {
    process.chdir(here);
  }
  const findings = JSON.parse(out.join('')).findings as { ruleId: string }[];
  return { ruleIds: findings.map(f => f.ruleId), stderr: err.join('') };
}

/** The install rules a scan reports (sorted); the scan must write nothing to stderr. */
export function installRules(args: string[], cwd?: string): string[] {
  const { ruleIds, stderr } = scanRuleIds(args, cwd);
  expect(stderr).toBe('');
  return ruleIds.filter(id => id.startsWith('install-')).sort();
}

/** The install rules of a notebook of `cells` written to a fresh folder (`prefix`). */
export function notebookRules(prefix: string, cells: string[]): string[] {
  const notebook = path.join(scratchDir(prefix), 'setup.ipynb');
  writeNotebook(notebook, cells);
  return installRules([notebook]);
}
