/**
 * The reference answer to "may this policy document be used at `now`?", in TypeScript, for
 * the shared vectors (schema/vectors/policy-validity.json). The lab server (Python) and
 * central decide the same question in their own code; the vectors pin all of them.
 *
 * Reason codes are the vectors' (schema/vectors/README.md): `schema` with the JSON pointer of
 * the failing value, then, only for a schema-valid document, `unknown_rule`, `expired`,
 * `issued_not_before_expiry` and `advisory_version` (with the pointer of the version).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import policySchema from '../../schema/policy.schema.json';
import settingsSchema from '../../schema/settings/policy.json';
import { RULES } from '../contracts';
import { versionKey } from '../deps/versions';

export interface IReason {
  code:
    | 'schema'
    | 'unknown_rule'
    | 'expired'
    | 'issued_not_before_expiry'
    | 'advisory_version';
  path?: string;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validatePolicySchema = ajv.compile(policySchema);
const validateSettingsSchema = ajv.compile(settingsSchema);

export function policyProblems(doc: unknown, now: Date): IReason[] {
  if (!validatePolicySchema(doc)) {
    return (validatePolicySchema.errors ?? []).map(error => ({
      code: 'schema',
      path: error.instancePath
    }));
  }
  const policy = doc as {
    rules?: Record<string, unknown>;
    issued_at?: string;
    expires_at?: string | null;
  };
  const reasons: IReason[] = [];
  if (Object.keys(policy.rules ?? {}).some(id => !RULES.has(id))) {
    reasons.push({ code: 'unknown_rule' });
  }
  const expires = policy.expires_at ? Date.parse(policy.expires_at) : null;
  if (expires !== null && expires <= now.getTime()) {
    reasons.push({ code: 'expired' });
  }
  if (
    policy.issued_at &&
    expires !== null &&
    Date.parse(policy.issued_at) >= expires
  ) {
    reasons.push({ code: 'issued_not_before_expiry' });
  }
  return [...reasons, ...advisoryVersionReasons(doc as IAdvisoryDoc)];
}

interface IAdvisoryDoc {
  dependencies?: {
    advisories?: Array<{
      affected?: Array<{
        ranges?: Array<{ events?: Array<Record<string, string>> }>;
        versions?: string[];
      }>;
    }>;
  };
}

/** Advisory versions the kernels cannot place (not PEP 440, as src/deps/versions.ts reads). */
function advisoryVersionReasons(doc: IAdvisoryDoc): IReason[] {
  const out: IReason[] = [];
  (doc.dependencies?.advisories ?? []).forEach((record, i) =>
    (record.affected ?? []).forEach((affected, j) => {
      const at = `/dependencies/advisories/${i}/affected/${j}`;
      (affected.ranges ?? []).forEach((range, k) =>
        (range.events ?? []).forEach((event, m) => {
          for (const [kind, value] of Object.entries(event)) {
            if (versionKey(value) === null) {
              out.push({
                code: 'advisory_version',
                path: `${at}/ranges/${k}/events/${m}/${kind}`
              });
            }
          }
        })
      );
      (affected.versions ?? []).forEach((value, k) => {
        if (versionKey(value) === null) {
          out.push({ code: 'advisory_version', path: `${at}/versions/${k}` });
        }
      });
    })
  );
  return out;
}

/** Does the user's `stricterRules` value pass the settings schema (schema/settings/policy.json)? */
export function userSettingsValid(stricterRules: unknown): boolean {
  return validateSettingsSchema({ stricterRules }) as boolean;
}
