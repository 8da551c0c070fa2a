/** The static rules of the shared rule catalog (schema/rules.json): read, never copied. */
import { RULES, type Action, type IRule } from '../contracts';

export type Rule = IRule;
export type RuleAction = Action;

/** The static-layer rules, in catalog order. */
export const STATIC_RULES: readonly Rule[] = [...RULES.values()].filter(
  r => r.layer === 'static'
);

const BY_ID = new Map<string, Rule>(STATIC_RULES.map(r => [r.id, r]));

/** The catalog entry of a static rule; throws for an id the catalog does not list. */
export function staticRule(id: string): Rule {
  const rule = BY_ID.get(id);
  if (!rule) {
    throw new Error(`rule ${id} is not a static rule of schema/rules.json`);
  }
  return rule;
}

const MESSAGES = new Map<string, string>();

/** The message shown with a finding: what is wrong, why, and what to do instead. */
export function ruleMessage(rule: Rule): string {
  let message = MESSAGES.get(rule.id);
  if (message === undefined) {
    message = `${rule.title}. ${rule.explanation} Instead: ${rule.remediation}`;
    MESSAGES.set(rule.id, message);
  }
  return message;
}
