/**
 * warden-scan's side of dependency trust (src/deps): manifests scanned as files, a notebook's
 * install cells added to its cells' findings, and the catalog entries of the install rules
 * the reports name. Kept apart from scan.ts so the scan loop only calls in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  STATIC_RULES,
  type AnalyzerOptions,
  type CellAnalysis,
  type Finding,
  SEVERITIES
} from '../analyzer';
import { RULES, type IPolicyDocument, type IRule } from '../contracts';
import {
  INSTALL_RULE_IDS,
  installPolicy,
  manifestKind,
  scanCellInstalls,
  scanManifest,
  type LocatedInstallFinding
} from '../deps/scan';
import { IPythonAliases } from '../analyzer/ipythonaliases';
import { decide } from '../policy/policy';
import type { ScanFinding, ScanReport } from './report';

/** Every rule a scan can report: the static rules, then the install rules. */
export const SCAN_RULES: readonly IRule[] = [
  ...STATIC_RULES,
  ...INSTALL_RULE_IDS.map(id => RULES.get(id)!)
];
const BY_ID = new Map(SCAN_RULES.map(r => [r.id, r]));

/** The catalog entry of a rule warden-scan reports; throws for any other id. */
export function scanRule(id: string): IRule {
  const rule = BY_ID.get(id);
  if (!rule) {
    throw new Error(`rule ${id} is not a rule warden-scan reports`);
  }
  return rule;
}

type Reply = Parameters<typeof decide>[0];

export class DependencyScan {
  private readonly policy: Record<string, any>;
  private readonly seen = new Set<string>();

  constructor(
    document: IPolicyDocument,
    options: AnalyzerOptions,
    private readonly report: ScanReport,
    private readonly reply: Reply,
    private readonly threshold: number
  ) {
    this.policy = installPolicy(document, options.trustedIndexes ?? []);
  }

  /** Scan `file` when it is a dependency manifest; false for any other file. */
  scanManifest(file: string): boolean {
    if (manifestKind(file) === null) {
      return false;
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file); // decoded as its installer decodes it (scanManifest)
    } catch (e) {
      this.report.errors.push(`${file}: ${(e as Error).message}`);
      return true;
    }
    this.report.filesScanned++;
    this.count(file, 1, 0);
    for (const located of scanManifest(file, bytes, this.policy)) {
      this.add(located);
    }
    return true;
  }

  /** The analyzer's findings per code cell (`perUnit`) with each cell's install findings
   * (its IPython syntax and its code's literal starts, `codeStarts`); those placed in another
   * file (a `-r` file the cell names) go into the report directly. The cells are read in
   * order with one IPython alias table (an alias defined in one cell runs in a later one). */
  withCellInstalls(
    notebook: string,
    units: string[],
    perUnit: CellAnalysis[]
  ): Finding[][] {
    const aliases = new IPythonAliases();
    return perUnit.map(({ findings, codeStarts }, i) => {
      const extra: Finding[] = [];
      const cell = units[i];
      for (const located of scanCellInstalls(
        notebook,
        cell,
        this.policy,
        aliases,
        codeStarts
      )) {
        if (located.path === notebook) {
          extra.push(located.finding);
        } else {
          this.add(located);
        }
      }
      return extra.length ? [...findings, ...extra] : findings;
    });
  }

  private add({ path: file, finding }: LocatedInstallFinding): void {
    const decided = decide(this.reply, finding.ruleId);
    if (
      decided.action === 'off' ||
      SEVERITIES.indexOf(decided.severity) < this.threshold
    ) {
      return;
    }
    const key = `${file}:${finding.line}:${finding.ruleId}:${finding.message}`;
    if (this.seen.has(key)) {
      return; // one include read by two manifests
    }
    this.seen.add(key);
    const located: ScanFinding = {
      path: file,
      cell: null,
      finding: { ...finding, severity: decided.severity },
      codePointColumn: finding.column
    };
    this.report.findings.push(located);
    this.count(file, 0, 1);
  }

  private count(file: string, files: number, findings: number): void {
    const folder = path.dirname(file);
    const counts = this.report.folders.get(folder) ?? { files: 0, findings: 0 };
    counts.files += files;
    counts.findings += findings;
    this.report.folders.set(folder, counts);
  }
}
