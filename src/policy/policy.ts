/**
 * The policy as the frontend uses it: the lab server's effective policy (GET /warden/policy)
 * tightened by the user's own settings, and the decision it makes for one rule.
 */
import {
  Action,
  ACTIONS,
  higherSeverity,
  IPolicyDocument,
  IRuleSetting,
  RULES,
  Severity,
  SEVERITIES,
  stricterAction
} from '../contracts';

export type { IPolicyDocument, IRuleSetting } from '../contracts';

export interface ISourceState {
  name: string;
  location: string;
  active: boolean;
  revision: number | null;
  error: string | null;
}

/** The reply of GET /warden/policy. */
export interface IPolicyReply {
  effective: IPolicyDocument;
  provenance: Record<string, string>;
  source: string;
  revision: number;
  errors: string[];
  sources: ISourceState[];
}

export interface IRuleDecision {
  ruleId: string;
  action: Action;
  severity: Severity;
  /** Which source decided the action: 'built-in', 'admin', 'central', 'user' or 'catalog'. */
  decidedBy: string;
}

/**
 * What the policy decides for a rule: its own setting, else the catalog default raised (never
 * lowered) by the policy's default action; then the user's setting, which may only tighten.
 */
export function decide(
  reply: IPolicyReply,
  ruleId: string,
  user: Record<string, IRuleSetting> = {}
): IRuleDecision {
  const rule = RULES.get(ruleId);
  if (!rule) {
    throw new Error(`Unknown Warden rule id: ${ruleId}`);
  }
  const doc = reply.effective;
  const setting = doc.rules?.[ruleId] ?? {};
  let action: Action = rule.action;
  let decidedBy = 'catalog';
  if (setting.action) {
    action = setting.action;
    decidedBy = reply.provenance[`rules/${ruleId}/action`] ?? reply.source;
  } else if (
    doc.default_action &&
    stricterAction(doc.default_action, action) !== action
  ) {
    // A broad default only raises: lowering a rule takes naming it.
    action = doc.default_action;
    decidedBy = reply.provenance['default_action'] ?? reply.source;
  }
  let severity: Severity = setting.severity ?? rule.severity;
  if (!ACTIONS.includes(action) || !SEVERITIES.includes(severity)) {
    // The lab server only serves valid policies; should one slip through, fail closed.
    action = ACTIONS.includes(action) ? action : 'block';
    severity = SEVERITIES.includes(severity) ? severity : 'critical';
    decidedBy = 'invalid policy';
  }
  const mine = user[ruleId];
  if (mine?.action && stricterAction(mine.action, action) !== action) {
    action = mine.action;
    decidedBy = 'user';
  }
  if (mine?.severity) {
    severity = higherSeverity(mine.severity, severity);
  }
  return { ruleId, action, severity, decidedBy };
}

/** Every catalog rule's decision, for the policy view. */
export function decideAll(
  reply: IPolicyReply,
  user: Record<string, IRuleSetting> = {}
): IRuleDecision[] {
  return [...RULES.keys()].map(id => decide(reply, id, user));
}
