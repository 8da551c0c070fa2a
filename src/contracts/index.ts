/**
 * Typed access to the shared contracts in `schema/` (defined once for every layer).
 */
import policySchema from '../../schema/policy.schema.json';
import catalog from '../../schema/rules.json';

export type Action = 'off' | 'warn' | 'confirm' | 'block';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Layer = 'static' | 'runtime' | 'sandbox' | 'server';

export interface IRule {
  id: string;
  title: string;
  layer: Layer;
  severity: Severity;
  action: Action;
  explanation: string;
  remediation: string;
  references: {
    cwe?: string[];
    cve?: string[];
    ghsa?: string[];
    urls?: string[];
  };
}

/** Least to most strict, as the policy schema orders them. */
export const ACTIONS = policySchema.$defs.action.enum as readonly Action[];
/** Least to most severe, as the policy schema orders them. */
export const SEVERITIES = policySchema.$defs.severity
  .enum as readonly Severity[];

export const RULES: ReadonlyMap<string, IRule> = new Map(
  (catalog.rules as IRule[]).map(rule => [rule.id, rule])
);

export function stricterAction(a: Action, b: Action): Action {
  return ACTIONS.indexOf(a) >= ACTIONS.indexOf(b) ? a : b;
}

export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}
