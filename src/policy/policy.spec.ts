import policySchema from '../../schema/policy.schema.json';
import settingsSchema from '../../schema/settings/policy.json';
import { ACTIONS, RULES } from '../contracts';
import { decide, decideAll, IPolicyReply } from './policy';

const RULE = 'torch-load-unsafe';

function reply(
  effective: Partial<IPolicyReply['effective']>,
  provenance = {}
): IPolicyReply {
  return {
    effective: { schema_version: 1, revision: 3, ...effective },
    provenance,
    source: 'admin',
    revision: 3,
    errors: [],
    sources: []
  };
}

describe('policy decisions', () => {
  it('uses the catalog default when the policy is silent', () => {
    const d = decide(reply({}), RULE);
    expect(d).toEqual({
      ruleId: RULE,
      action: RULES.get(RULE)!.action,
      severity: RULES.get(RULE)!.severity,
      decidedBy: 'catalog'
    });
  });

  it("names the source of a rule's action", () => {
    const r = reply(
      { rules: { [RULE]: { action: 'block' } } },
      {
        [`rules/${RULE}/action`]: 'central'
      }
    );
    expect(decide(r, RULE)).toMatchObject({
      action: 'block',
      decidedBy: 'central'
    });
  });

  it("falls back to the policy's default action", () => {
    expect(decide(reply({ default_action: 'confirm' }), RULE).action).toBe(
      'confirm'
    );
  });

  it('lets the user raise an action but never lower it', () => {
    const r = reply({ rules: { [RULE]: { action: 'confirm' } } });
    expect(decide(r, RULE, { [RULE]: { action: 'block' } })).toMatchObject({
      action: 'block',
      decidedBy: 'user'
    });
    expect(decide(r, RULE, { [RULE]: { action: 'off' } }).action).toBe(
      'confirm'
    );
    expect(decide(r, RULE, { [RULE]: { severity: 'info' } }).severity).toBe(
      RULES.get(RULE)!.severity
    );
  });

  it('refuses unknown rule ids loudly', () => {
    expect(() => decide(reply({}), 'no-such-rule')).toThrow(
      /Unknown Warden rule/
    );
  });

  it('fails closed on a policy the schema would refuse (an unknown action or severity)', () => {
    const bad = reply({
      rules: { [RULE]: { action: 'deny', severity: 'severe' } as any }
    });
    expect(decide(bad, RULE)).toEqual({
      ruleId: RULE,
      action: 'block',
      severity: 'critical',
      decidedBy: 'invalid policy'
    });
  });

  it('decides every catalog rule', () => {
    expect(decideAll(reply({})).map(d => d.ruleId)).toEqual([...RULES.keys()]);
  });
});

describe('contracts', () => {
  it('orders actions as the policy schema does', () => {
    expect(ACTIONS).toEqual(['off', 'warn', 'confirm', 'block']);
  });

  it("keeps the user settings' enums equal to the policy schema's", () => {
    // JupyterLab settings schemas cannot $ref another file: this test keeps the copy honest.
    const props =
      settingsSchema.properties.stricterRules.additionalProperties.properties;
    expect(props.action.enum).toEqual(policySchema.$defs.action.enum);
    expect(props.severity.enum).toEqual(policySchema.$defs.severity.enum);
  });
});
