/**
 * SARIF 2.1.0 rendering. SARIF has no notion of a notebook cell, so this is the convention:
 * for an .ipynb artifact the region's lines and columns count within the code cell's source
 * (as Jupyter shows them), and the cell is named by `properties.cell` (0-based index among the
 * notebook's code cells) on the result and by a logical location of kind "notebookCell" whose
 * fullyQualifiedName is `<path>#cell=<index>`. For .py files the region is the file's own.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { STATIC_RULES, type Severity } from '../analyzer';
import type { ScanReport } from './report';

export const CELL_ADDRESSING =
  'For .ipynb artifacts, region lines and columns are 1-based within the source of one code cell; ' +
  "result.properties.cell is that cell's 0-based index among the notebook's code cells, also given as " +
  'a logicalLocation of kind "notebookCell" named "<uri>#cell=<index>". For .py artifacts regions are file positions.';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note'
};

/** GitHub code scanning reads this number to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0'
};

function artifactUri(p: string): string {
  if (path.isAbsolute(p)) {
    return pathToFileURL(p).href;
  }
  return p.split(path.sep).map(encodeURIComponent).join('/');
}

export function renderSarif(report: ScanReport, version: string): string {
  const ruleIndex = new Map(STATIC_RULES.map((r, i) => [r.id, i]));
  const rules = STATIC_RULES.map(r => ({
    id: r.id,
    name: r.id
      .split('-')
      .map(w => w[0].toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.explanation },
    help: { text: r.remediation },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [
        'security',
        ...(r.references.cwe ?? []),
        ...(r.references.cve ?? [])
      ],
      severity: r.severity,
      action: r.action,
      'security-severity': SECURITY_SEVERITY[r.severity]
    }
  }));
  const results = report.findings.map(({ path: p, cell, finding: f }) => {
    const uri = artifactUri(p);
    const location: Record<string, unknown> = {
      physicalLocation: {
        artifactLocation: path.isAbsolute(p)
          ? { uri }
          : { uri, uriBaseId: 'SRCROOT' },
        region: {
          startLine: f.line,
          startColumn: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn
        }
      }
    };
    if (cell !== null) {
      location.logicalLocations = [
        {
          name: `cell ${cell}`,
          fullyQualifiedName: `${uri}#cell=${cell}`,
          kind: 'notebookCell'
        }
      ];
    }
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location],
      properties: { severity: f.severity, cell }
    };
    // Fix offsets count within a cell, not within the .ipynb JSON: offer fixes for .py only.
    if (f.fix && cell === null) {
      result.fixes = [
        {
          description: { text: f.fix.title },
          artifactChanges: [
            {
              artifactLocation: path.isAbsolute(p)
                ? { uri }
                : { uri, uriBaseId: 'SRCROOT' },
              replacements: [
                {
                  deletedRegion: {
                    charOffset: f.fix.from,
                    charLength: f.fix.to - f.fix.from
                  },
                  insertedContent: { text: f.fix.insert }
                }
              ]
            }
          ]
        }
      ];
    }
    return result;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'warden-scan',
            fullName: 'Jupyter Warden static analyzer',
            version,
            rules
          }
        },
        originalUriBaseIds: {
          SRCROOT: { uri: pathToFileURL(process.cwd() + path.sep).href }
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map(text => ({
              level: 'error',
              message: { text }
            }))
          }
        ],
        results,
        properties: { notebookCellAddressing: CELL_ADDRESSING }
      }
    ]
  };
  return JSON.stringify(log, null, 2) + '\n';
}
