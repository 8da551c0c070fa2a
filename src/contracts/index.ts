/**
 * Typed access to the shared contracts in `schema/` (defined once for every layer). The types
 * are generated from the JSON Schemas (`npm run build:schema` writes `_schema.ts`); the
 * orders of actions and severities are read from the policy schema's enums.
 */
import policySchema from '../../schema/policy.schema.json';
import catalog from '../../schema/rules.json';
import type { Action, IRuleCatalog, IWardenEvent, Severity } from './_schema';

export type {
  Action,
  IInlineSettings,
  IPolicyDocument,
  IPolicySettings,
  IPostureReport,
  IRuleCatalog,
  IWardenEvent,
  RuleSetting as IRuleSetting,
  Severity
} from './_schema';

/** One entry of the rule catalog (schema/rules.json). */
export type IRule = IRuleCatalog['rules'][number];
export type Layer = IRule['layer'];
export type EventKind = IWardenEvent['kind'];
export type EventAction = IWardenEvent['action'];

/** Least to most strict, as the policy schema orders them. */
export const ACTIONS = policySchema.$defs.action.enum as readonly Action[];
/** Least to most severe, as the policy schema orders them. */
export const SEVERITIES = policySchema.$defs.severity
  .enum as readonly Severity[];

/** Every rule of the catalog, by id, in catalog order. */
export const RULES: ReadonlyMap<string, IRule> = new Map(
  (catalog as IRuleCatalog).rules.map(rule => [rule.id, rule])
);

export function stricterAction(a: Action, b: Action): Action {
  return ACTIONS.indexOf(a) >= ACTIONS.indexOf(b) ? a : b;
}

export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}
