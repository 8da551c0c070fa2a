import type { ErrorObject, ValidateFunction } from 'ajv';

import { advisoryVersionProblems } from './advisory-versions.js';

// Pure: may this policy document be used at `now`? The one answer central gives, pinned by
// the shared vectors (schema/vectors/policy-validity.json) that the frontend and the lab run
// too. Reason codes and their order are the vectors' (schema/vectors/README.md).

export type ProblemCode =
  'schema' | 'unknown_rule' | 'expired' | 'issued_not_before_expiry' | 'advisory_version';

export interface PolicyProblem {
  code: ProblemCode;
  /** JSON pointer of the failing value ('' for the document itself). */
  path: string;
  message: string;
}

function schemaProblem(e: ErrorObject): PolicyProblem {
  return { code: 'schema', path: e.instancePath, message: e.message ?? 'invalid' };
}

/** Every reason `doc` is not usable at `now`; [] when it is. */
export function policyProblems(
  doc: unknown,
  now: Date,
  schema: ValidateFunction,
  knownRules: { has(id: string): boolean }
): PolicyProblem[] {
  if (!schema(doc)) {
    // Nothing below is meaningful for a document of the wrong shape.
    return (schema.errors ?? []).map(schemaProblem);
  }
  const policy = doc as { rules?: object; issued_at?: string; expires_at?: string | null };
  const out: PolicyProblem[] = [];
  for (const id of Object.keys(policy.rules ?? {})) {
    if (!knownRules.has(id)) {
      // A typo must not leave the rule meant at its default: labs refuse such a document.
      out.push({
        code: 'unknown_rule',
        path: `/rules/${id.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        message: `rule id '${id}' is not in the catalog (schema/rules.json)`
      });
    }
  }
  const expires = policy.expires_at ? Date.parse(policy.expires_at) : null;
  if (expires !== null && expires <= now.getTime()) {
    out.push({ code: 'expired', path: '/expires_at', message: 'expires_at is not in the future' });
  }
  if (policy.issued_at && expires !== null && Date.parse(policy.issued_at) >= expires) {
    out.push({
      code: 'issued_not_before_expiry',
      path: '/issued_at',
      message: 'issued_at must be before expires_at'
    });
  }
  return [...out, ...advisoryVersionProblems(doc)];
}
