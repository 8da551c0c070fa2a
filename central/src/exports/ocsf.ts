import type { Rule } from '../contracts.js';
import type { StoredEvent } from '../events/store.js';

// Pure: one stored event as an OCSF Detection Finding (class 2004, activity Create).

export const OCSF_VERSION = '1.3.0';
const SEVERITY_ID: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<string, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical'
};
// OCSF action_id: 1 Allowed, 2 Denied.
// disposition_id: 1 Allowed, 2 Blocked, 15 Detected, 17 Logged.
const ACTION: Record<string, [number, string, number, string]> = {
  allowed: [1, 'Allowed', 17, 'Logged'],
  warned: [1, 'Allowed', 15, 'Detected'],
  confirmed: [1, 'Allowed', 15, 'Detected'],
  blocked: [2, 'Denied', 2, 'Blocked']
};

export function toOcsf(
  ev: StoredEvent,
  rules: Map<string, Rule>,
  productVersion = '0.1.0'
): Record<string, unknown> {
  const rule = rules.get(String(ev.rule_id));
  const time = Date.parse(String(ev.time));
  const [action_id, action, disposition_id, disposition] = ACTION[String(ev.action)] ?? [
    0,
    'Unknown',
    0,
    'Unknown'
  ];
  const loc = (ev.location ?? {}) as Record<string, unknown>;
  const finding: Record<string, unknown> = {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    time,
    severity_id: SEVERITY_ID[String(ev.severity)] ?? 0,
    severity: SEVERITY_NAME[String(ev.severity)] ?? 'Unknown',
    status_id: 1,
    status: 'New',
    action_id,
    action,
    disposition_id,
    disposition,
    message: String(ev.message ?? rule?.title ?? ev.rule_id),
    count: typeof ev.count === 'number' ? ev.count : 1,
    metadata: {
      version: OCSF_VERSION,
      uid: String(ev.event_id),
      product: { name: 'Jupyter Warden', vendor_name: 'Jupyter Warden', version: productVersion },
      logged_time: Date.parse(ev.received_at),
      labels: [`kind:${ev.kind}`, `lab:${ev.lab}`]
    },
    finding_info: {
      uid: String(ev.fingerprint),
      title: rule?.title ?? String(ev.rule_id),
      desc: rule?.explanation,
      types: [String(ev.kind)],
      analytic: {
        uid: String(ev.rule_id),
        name: rule?.title ?? String(ev.rule_id),
        type_id: 1,
        type: 'Rule'
      },
      ...(ev.first_seen ? { first_seen_time: Date.parse(String(ev.first_seen)) } : {}),
      ...(ev.last_seen ? { last_seen_time: Date.parse(String(ev.last_seen)) } : {})
    },
    actor: { user: { name: ev.user ?? undefined } },
    device: { hostname: ev.lab, type_id: 0, type: 'Unknown' },
    evidences: [{ data: ev.evidence ?? {} }],
    resources: loc.path
      ? [
          {
            name: String(loc.path),
            type: 'notebook',
            uid: loc.cell_id ? `${loc.path}#cell=${loc.cell_id}` : String(loc.path)
          }
        ]
      : [],
    unmapped: {
      lab: ev.lab,
      location: loc,
      policy_revision: ev.policy_revision,
      justification: ev.justification,
      source: ev.source
    }
  };
  if (rule) {
    finding.remediation = {
      desc: rule.remediation,
      references: [...(rule.references.cwe ?? []), ...(rule.references.cve ?? [])]
    };
  }
  return finding;
}
