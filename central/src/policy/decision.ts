import { severityRank, type Rule } from '../contracts.js';

// Pure: what a policy document decides for one rule of the catalog, as every layer decides it
// (schema/vectors/rule-decision.json pins the meaning; the frontend and the lab run the same
// vectors). Central decides from the policy alone: users' own stricter settings live in
// their labs. Only call it with a document policyProblems() found usable.

export const ACTIONS = ['off', 'warn', 'confirm', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

export interface RuleDecision {
  rule_id: string;
  action: Action;
  severity: Rule['severity'];
  /** Which part of the document decided the action. */
  decided_by: 'rule' | 'default_action' | 'catalog';
}

interface PolicyLike {
  default_action?: string;
  rules?: Record<string, { action?: string; severity?: string }>;
}

export class UnknownRule extends Error {}

export function ruleDecision(
  doc: PolicyLike,
  ruleId: string,
  catalog: ReadonlyMap<string, Rule>
): RuleDecision {
  const rule = catalog.get(ruleId);
  if (!rule) {
    throw new UnknownRule(`unknown Warden rule id: ${ruleId}`);
  }
  const setting = Object.hasOwn(doc.rules ?? {}, ruleId) ? doc.rules![ruleId] : {};
  const rank = (a: string) => ACTIONS.indexOf(a as Action);
  let action = rule.action as Action;
  let decided_by: RuleDecision['decided_by'] = 'catalog';
  if (setting.action) {
    // Naming a rule decides it, lower or higher than the catalog.
    action = setting.action as Action;
    decided_by = 'rule';
  } else if (doc.default_action && rank(doc.default_action) > rank(action)) {
    // A broad default only raises: lowering a rule takes naming it.
    action = doc.default_action as Action;
    decided_by = 'default_action';
  }
  const severity = (setting.severity ?? rule.severity) as Rule['severity'];
  if (rank(action) < 0 || severityRank(severity) < 0) {
    // Validated documents never get here; should one, fail closed.
    return { rule_id: ruleId, action: 'block', severity: 'critical', decided_by };
  }
  return { rule_id: ruleId, action, severity, decided_by };
}

/** Every catalog rule's decision under `doc`, in catalog order. */
export function allDecisions(doc: PolicyLike, catalog: ReadonlyMap<string, Rule>) {
  return [...catalog.keys()].map(id => ruleDecision(doc, id, catalog));
}
