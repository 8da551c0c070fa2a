import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SEVERITIES } from './generated/contract-enums.js';
import { policyProblems, type PolicyProblem } from './policy/validity.js';

// The contracts are defined once in the repository's schema/ folder; central only reads them.

// Both packages are CommonJS with a `default` export; under NodeNext the class sits on .default.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

// Severities, least first, as schema/event.schema.json lists them (generated at build time).
export { SEVERITIES };
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: string): number {
  return SEVERITIES.indexOf(s as Severity);
}

export interface Rule {
  id: string;
  title: string;
  layer: string;
  severity: Severity;
  action: string;
  explanation: string;
  remediation: string;
  references: { cwe?: string[]; cve?: string[]; ghsa?: string[]; urls?: string[] };
}

export interface ValidationError {
  path: string;
  message: string;
}

export interface Contracts {
  schemaDir: string;
  /** The JSON Schemas as read from schema/, for route schemas built from them. */
  schemas: { policy: Record<string, unknown>; event: Record<string, unknown> };
  /**
   * Contracts of API bodies, each with its own $id (route schemas $ref them): artifact
   * reports, lookup and decisions (issue 19), the package inventory (issue 20).
   */
  bodySchemas: Record<string, unknown>[];
  rules: Map<string, Rule>;
  /** schema/default-policy.json: the built-in default every lab starts from. */
  defaultPolicy: Record<string, unknown>;
  /** Every reason a policy document is not usable at `now` (default: the clock); [] if usable. */
  policyProblems(doc: unknown, now?: Date): PolicyProblem[];
  validateEvent(ev: unknown): ValidationError[];
}

/** Walks up from this file to the first folder holding schema/policy.schema.json. */
export function findSchemaDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(candidate, 'policy.schema.json'))) {
      return candidate;
    }
    const up = dirname(dir);
    if (up === dir) {
      throw new Error('schema/ folder with policy.schema.json not found; pass --schema-dir');
    }
    dir = up;
  }
}

function toErrors(errors: ErrorObject[] | null | undefined): ValidationError[] {
  return (errors ?? []).map(e => ({
    path: e.instancePath || '/',
    message: e.message ?? 'invalid'
  }));
}

export function formatErrors(errors: ValidationError[]): string {
  return errors
    .slice(0, 5)
    .map(e => `${e.path}: ${e.message}`)
    .join('; ');
}

/** The validator used for contracts and for Fastify route schemas: JSON Schema 2020-12. */
export function newAjv(allErrors = false) {
  const ajv = new Ajv2020({ allErrors, strict: false });
  addFormats(ajv);
  return ajv;
}

/** schema/ files whose $id route schemas refer to (see http/route-schemas.ts). */
export const BODY_SCHEMAS = [
  'artifact-report.schema.json',
  'artifact-lookup.schema.json',
  'artifact-decisions.schema.json',
  'package-inventory.schema.json'
];

export function loadContracts(schemaDir?: string): Contracts {
  const dir = resolve(schemaDir ?? findSchemaDir());
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const ajv = newAjv();
  const schemas = { policy: read('policy.schema.json'), event: read('event.schema.json') };
  // Every fault of a policy is reported at once (an admin fixes them in one go); the schema's
  // bounds (maxItems, maxLength) keep that cheap.
  const policy: ValidateFunction = newAjv(true).compile(schemas.policy);
  const event: ValidateFunction = ajv.compile(schemas.event);
  const catalog = read('rules.json') as { rules: Rule[] };
  const rules = new Map(catalog.rules.map(r => [r.id, r]));
  return {
    schemaDir: dir,
    schemas,
    rules,
    defaultPolicy: read('default-policy.json'),
    bodySchemas: BODY_SCHEMAS.map(read),
    policyProblems: (doc, now = new Date()) => policyProblems(doc, now, policy, rules),
    validateEvent: ev => (event(ev) ? [] : toErrors(event.errors))
  };
}
