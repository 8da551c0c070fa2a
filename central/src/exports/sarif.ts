import { severityRank, type Rule } from '../contracts.js';
import type { StoredEvent } from '../events/store.js';

// Pure: static findings as one SARIF 2.1.0 log.
// Notebook cells: SARIF has no standard way to address a cell. Convention used here:
// artifactLocation.uri is the notebook path; region.startLine/startColumn are relative to the
// cell's source; the cell is a logicalLocation {kind: "notebookCell", name: <cell id>,
// fullyQualifiedName: "<path>#cell=<cell id>"} and properties.cell_id repeats it.

const LEVEL = ['note', 'note', 'warning', 'error', 'error'] as const;
const SECURITY_SEVERITY = ['0.0', '3.0', '5.5', '8.0', '9.5'];

export function toSarif(events: StoredEvent[], rules: Map<string, Rule>, toolVersion = '0.1.0') {
  const ruleIds = [...new Set(events.map(e => String(e.rule_id)))].sort();
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const driverRules = ruleIds.map(id => {
    const r = rules.get(id);
    const rank = severityRank(r?.severity ?? 'medium');
    return {
      id,
      name: id,
      shortDescription: { text: r?.title ?? id },
      ...(r ? { fullDescription: { text: r.explanation }, help: { text: r.remediation } } : {}),
      defaultConfiguration: { level: LEVEL[rank] ?? 'warning' },
      properties: {
        tags: ['security', ...(r?.references.cwe ?? [])],
        'security-severity': SECURITY_SEVERITY[rank] ?? '5.5'
      }
    };
  });
  const results = events.map(e => {
    const loc = (e.location ?? {}) as Record<string, unknown>;
    const region: Record<string, number> = {};
    if (typeof loc.line === 'number') {
      region.startLine = loc.line;
    }
    if (typeof loc.column === 'number') {
      region.startColumn = loc.column;
    }
    const location: Record<string, unknown> = {};
    if (loc.path) {
      location.physicalLocation = {
        artifactLocation: { uri: String(loc.path).split('/').map(encodeURIComponent).join('/') },
        ...(Object.keys(region).length ? { region } : {})
      };
    }
    if (loc.cell_id) {
      location.logicalLocations = [
        {
          kind: 'notebookCell',
          name: String(loc.cell_id),
          fullyQualifiedName: `${loc.path ?? ''}#cell=${loc.cell_id}`
        }
      ];
    }
    return {
      ruleId: String(e.rule_id),
      ruleIndex: index.get(String(e.rule_id)),
      level: LEVEL[severityRank(String(e.severity))] ?? 'warning',
      message: { text: String(e.message ?? rules.get(String(e.rule_id))?.title ?? e.rule_id) },
      ...(Object.keys(location).length ? { locations: [location] } : {}),
      partialFingerprints: { 'wardenFingerprint/v1': String(e.fingerprint) },
      properties: {
        event_id: e.event_id,
        lab: e.lab,
        user: e.user,
        action: e.action,
        severity: e.severity,
        cell_id: loc.cell_id ?? null,
        time: e.time
      }
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Jupyter Warden',
            informationUri: 'https://github.com/jupyter-warden/jupyterlab-warden',
            version: toolVersion,
            rules: driverRules
          }
        },
        results,
        columnKind: 'unicodeCodePoints'
      }
    ]
  };
}
