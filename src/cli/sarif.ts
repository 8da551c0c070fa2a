/**
 * SARIF 2.1.0 rendering. SARIF has no notion of a notebook cell, so this is the convention:
 * for an .ipynb artifact the region is where the flagged code sits in the raw JSON text of
 * the file (what GitHub code scanning annotates; notebook-positions.ts maps cell offsets to
 * file offsets, escapes included), the cell is named by `properties.cell` (0-based index
 * among the notebook's code cells) on the result and by a logical location of kind
 * "notebookCell" whose fullyQualifiedName is `<uri>#cell=<index>`, and the position within
 * the cell is kept in `properties.cellRegion`. Columns count UTF-16 code units
 * (`run.columnKind`). For .py files the region is the file's own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Severity } from '../analyzer';
import { SCAN_RULES } from './dependencies';
import { LineIndex } from '../analyzer/positions';
import { codeCellSourceMaps, type CellSourceMap } from './notebook-positions';
import type { ScanReport } from './report';

export const CELL_ADDRESSING =
  'For .ipynb artifacts, the region is where the flagged code is written in the raw JSON text of the file ' +
  "(lines and UTF-16 columns of the file); result.properties.cell is the code cell's 0-based index among the " +
  'notebook\'s code cells, also given as a logicalLocation of kind "notebookCell" named "<uri>#cell=<index>", ' +
  "and result.properties.cellRegion gives lines and columns within that cell's source. For .py artifacts regions are file positions.";

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

/** Characters a URI path segment may hold as they are (RFC 3986 pchar sub-delims). */
const SEGMENT_SAFE = /%(?:21|24|26|27|28|29|2A|2B|2C|3B|3D|3A|40)/g;

function artifactUri(p: string): string {
  if (path.isAbsolute(p)) {
    return pathToFileURL(p).href;
  }
  return p
    .split(path.sep)
    .map(seg =>
      encodeURIComponent(seg).replace(SEGMENT_SAFE, decodeURIComponent)
    )
    .join('/');
}

/** Maps a notebook's cell offsets to its raw text, read once per file. */
class NotebookRegions {
  private readonly cache = new Map<
    string,
    { maps: CellSourceMap[]; lines: LineIndex; text: string } | null
  >();

  region(
    file: string,
    cell: number,
    from: number,
    to: number
  ): Record<string, number> | null {
    let entry = this.cache.get(file);
    if (entry === undefined) {
      try {
        const text = fs.readFileSync(file, 'utf8');
        entry = {
          maps: codeCellSourceMaps(text),
          lines: new LineIndex(text),
          text
        };
      } catch {
        entry = null;
      }
      this.cache.set(file, entry);
    }
    const map = entry?.maps[cell];
    if (!entry || !map || to >= map.length) {
      return null;
    }
    const start = entry.lines.position(map[from]);
    // The end is exclusive: after the raw spelling of the last flagged character.
    const end = entry.lines.position(
      to > from ? map[to - 1] + rawLength(entry.text, map[to - 1]) : map[from]
    );
    return {
      startLine: start.line,
      startColumn: start.column,
      endLine: end.line,
      endColumn: end.column
    };
  }
}

/** Raw characters that spell the decoded character at raw offset `at` (an escape: 2 or 6). */
function rawLength(text: string, at: number): number {
  return text[at] !== '\\' ? 1 : text[at + 1] === 'u' ? 6 : 2;
}

export function renderSarif(report: ScanReport, version: string): string {
  const ruleIndex = new Map(SCAN_RULES.map((r, i) => [r.id, i]));
  const rules = SCAN_RULES.map(r => ({
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
  const notebooks = new NotebookRegions();
  const honoured = new Set(report.ignored);
  const results = [...report.findings, ...report.ignored].map(located => {
    const { path: p, cell, finding: f } = located;
    const uri = artifactUri(p);
    const cellRegion = {
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn
    };
    const region =
      cell === null
        ? cellRegion
        : (notebooks.region(p, cell, f.from, f.to) ?? cellRegion);
    const location: Record<string, unknown> = {
      physicalLocation: {
        artifactLocation: path.isAbsolute(p)
          ? { uri }
          : { uri, uriBaseId: 'SRCROOT' },
        region
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
      properties:
        cell === null
          ? { severity: f.severity, cell }
          : { severity: f.severity, cell, cellRegion }
    };
    if (located.sameRepository?.length) {
      // The file's other calls for the same unpinned repository (one finding per repository).
      result.relatedLocations = located.sameRepository.map(
        ([c, line, column], id) =>
          c === null
            ? {
                id,
                physicalLocation: {
                  artifactLocation: path.isAbsolute(p)
                    ? { uri }
                    : { uri, uriBaseId: 'SRCROOT' },
                  region: { startLine: line, startColumn: column }
                },
                message: { text: 'same repository, also unpinned' }
              }
            : {
                id,
                logicalLocations: [
                  {
                    fullyQualifiedName: `${uri}#cell=${c}`,
                    kind: 'notebookCell'
                  }
                ],
                message: {
                  text: `same repository, also unpinned: cell ${c}, line ${line}, column ${column}`
                }
              }
      );
    }
    if (f.ignored && honoured.has(located)) {
      // An ignore comment (or the notebook's metadata) names this rule: SARIF's own way.
      result.suppressions = [
        {
          kind: 'inSource',
          justification: f.ignored.reason,
          properties: { scope: f.ignored.scope }
        }
      ];
    }
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
        columnKind: 'utf16CodeUnits',
        results,
        properties: { notebookCellAddressing: CELL_ADDRESSING }
      }
    ]
  };
  return JSON.stringify(log, null, 2) + '\n';
}
