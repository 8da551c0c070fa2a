import {
  EVENT_ACTIONS,
  EVENT_KINDS,
  FLEET_DECISIONS,
  SCAN_VERDICTS,
  SEVERITIES
} from '../generated/contract-enums.js';

// Pure: the Fastify route schemas, built from the contracts in schema/. Validation errors
// answer 400 before a handler runs. Unknown body fields stay ignored (API v1 compatibility).

/** $id of the policy document an admin submits: policy.schema.json minus the service's fields. */
export const POLICY_DOCUMENT_ID = 'https://jupyter-warden.invalid/schema/admin-policy-document';

const SERVICE_FIELDS = ['schema_version', 'revision', 'issued_at', 'expires_at', 'audience'];

/** policy.schema.json with the fields central sets itself made optional. */
export function policyDocumentSchema(policy: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(policy);
  out.$id = POLICY_DOCUMENT_ID;
  out.required = ((policy.required as string[]) ?? []).filter(f => !SERVICE_FIELDS.includes(f));
  return out;
}

const str = (maxLength: number) => ({ type: 'string', maxLength });
const digits = (max: number) => ({ type: 'string', pattern: `^[0-9]{1,${max}}$` });
const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required
});

/** Query of the admin event views; times are checked further by admin/filters.ts. */
const eventFilter = {
  user: str(200),
  lab: str(200),
  rule: str(200),
  severity: { type: 'string', enum: [...SEVERITIES, ''] },
  min_severity: { type: 'string', enum: [...SEVERITIES, ''] },
  kind: { type: 'string', enum: [...EVENT_KINDS, ''] },
  action: { type: 'string', enum: [...EVENT_ACTIONS, ''] },
  since: str(40),
  until: str(40),
  limit: digits(3),
  cursor: { type: 'string', pattern: '^([0-9]{1,15}\\.[0-9]{1,15})?$' }
};

/** Reasons a lab gives for a kernel without the guard (status_reporter.py writes them). */
export const UNGUARDED_REASONS = [
  'launch_guard_off',
  'no_report',
  'report_unreadable',
  'report_mismatch',
  'guard_errors',
  'not_installed'
] as const;

/**
 * `kernels` of POST /status: the lab's running kernels and the ones without the guard.
 * Bounded and free of free text (a kernel is named by a short label, never its id).
 */
const kernelCoverage = {
  type: 'object',
  additionalProperties: false,
  required: ['total', 'guarded', 'unguarded'],
  properties: {
    total: { type: 'integer', minimum: 0, maximum: 100000 },
    guarded: { type: 'integer', minimum: 0, maximum: 100000 },
    truncated: { type: 'boolean' },
    unguarded: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kernel', 'reason'],
        properties: {
          kernel: { type: 'string', pattern: '^[A-Za-z0-9_-]{0,16}$' },
          reason: { enum: UNGUARDED_REASONS },
          since: { type: ['string', 'null'], maxLength: 40 },
          mode: { type: ['string', 'null'], maxLength: 20 },
          policy_revision: { type: ['integer', 'null'], minimum: 0 }
        }
      }
    }
  }
};

/** $id of a contract in schema/ (added to the validator by plugins/http.ts). */
const contract = (file: string, pointer = '') => ({
  $ref: `https://jupyter-warden.invalid/schema/${file}${pointer ? '#' + pointer : ''}`
});
const SHA256 = '^[0-9a-f]{64}$';

/** Query of the admin artifact list (issue 19). */
const artifactFilter = {
  sha256: { type: 'string', pattern: `^([0-9a-f]{64})?$` },
  decision: { type: 'string', enum: [...FLEET_DECISIONS, 'none', ''] },
  verdict: { type: 'string', enum: [...SCAN_VERDICTS, 'none', ''] },
  repo: str(200),
  limit: digits(3),
  cursor: digits(15)
};

export function routeSchemas() {
  const document = { $ref: POLICY_DOCUMENT_ID };
  const comment = { type: ['string', 'null'], maxLength: 500 };
  return {
    policy: { querystring: object({ wait: digits(2) }) },
    events: {
      body: object(
        {
          events: { type: 'array' },
          // The Jupyter user the lab authenticated for each event (lab tokens only).
          users: { type: 'array', items: { type: ['string', 'null'], maxLength: 200 } }
        },
        ['events']
      )
    },
    status: {
      body: object({
        policy_revision: { type: ['integer', 'null'], minimum: 0 },
        queue_depth: { type: ['integer', 'null'], minimum: 0 },
        dropped: {
          type: 'object',
          maxProperties: 64,
          propertyNames: { pattern: '^[a-z0-9_.-]{1,64}$' },
          additionalProperties: { type: 'integer', minimum: 0 }
        },
        warden_version: { type: ['string', 'null'], maxLength: 100 },
        kernels: kernelCoverage,
        packages: contract('package-inventory.schema.json')
      })
    },
    artifactLookup: { body: contract('artifact-lookup.schema.json') },
    artifactReports: { body: contract('artifact-report.schema.json') },
    artifactDecisions: { querystring: object({ since: digits(15) }) },
    adminArtifacts: { querystring: object(artifactFilter) },
    artifactDecision: {
      params: object({ sha256: { type: 'string', pattern: SHA256 } }, ['sha256']),
      body: contract('artifact-decisions.schema.json', '/$defs/decisionUpdate')
    },
    packages: {
      querystring: object({
        name: str(200),
        flagged: { type: 'string', enum: ['true', 'false', ''] },
        limit: digits(4)
      })
    },
    createPolicy: {
      body: object(
        { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }, document, comment },
        ['name', 'document']
      )
    },
    updatePolicy: {
      params: object({ name: str(64) }),
      body: object({ document, base_revision: { type: 'integer' }, comment }, ['document'])
    },
    validatePolicy: { body: { type: 'object' } },
    // A draft: any object (its faults are the answer), not the stored document's schema.
    decisions: { body: object({ document: { type: 'object' } }, ['document']) },
    policyName: { params: object({ name: str(64) }) },
    audit: { querystring: object({ limit: digits(3), before: digits(15) }) },
    events_query: { querystring: object(eventFilter) },
    // The events list may roll up repeated posture findings (see EventStore.query).
    events_list: {
      querystring: object({ ...eventFilter, rollup: { type: 'string', enum: ['0', '1', ''] } })
    },
    stats: {
      querystring: object({
        ...eventFilter,
        bucket: { type: 'string', enum: ['minute', 'hour', 'day'] }
      })
    },
    issueToken: {
      body: object(
        {
          kind: { type: 'string', enum: ['lab', 'admin'] },
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$' },
          user: { type: ['string', 'null'], maxLength: 200 },
          groups: { type: 'array', maxItems: 100, items: str(200) }
        },
        ['name']
      )
    },
    tokenId: { params: object({ id: str(64) }) }
  };
}
