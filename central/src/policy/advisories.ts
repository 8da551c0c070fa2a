// Pure: OSV records as osv.dev (or the GitHub Advisory Database) publishes them -> the subset a
// policy carries in `dependencies.advisories` (schema/policy.schema.json, $defs/advisory), and
// the merge of those records into a policy document. The command line (`advisories import`,
// main.ts) reads the files and talks to the admin API; nothing here does I/O.
//
// A record Warden cannot carry whole is skipped with the reason, never cut: a cut range or
// version list would flag fewer versions than the advisory does.

import { isPep440 } from './advisory-versions.js';

export interface PolicyAdvisory {
  id: string;
  summary?: string;
  aliases?: string[];
  database_specific?: { warden_kind: 'malicious' | 'vulnerability' };
  affected: Array<{
    package: { ecosystem: 'PyPI'; name: string };
    ranges?: Array<{ type: 'ECOSYSTEM'; events: Array<Record<string, string>> }>;
    versions?: string[];
  }>;
}

export interface ImportResult {
  records: PolicyAdvisory[];
  /** One line per record left out, naming it and why. */
  skipped: string[];
}

// The schema's limits ($defs/advisory); the vectors pin them in every validator.
export const LIMITS = {
  records: 400,
  summary: 300,
  aliases: 4,
  affected: 4,
  ranges: 2,
  events: 6,
  versions: 16
} as const;
const ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9._:-]{1,80}$/; // $defs/advisoryId, at most 64 long
const isId = (x: unknown): x is string => typeof x === 'string' && x.length <= 64 && ID.test(x);
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.!+_-]{0,63}$/;
// the schema's pattern and a version the kernels can place (central refuses a policy with
// any other: policy/advisory-versions.ts)
const readable = (v: string) => VERSION.test(v) && isPep440(v);
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/;
const EVENT_KINDS = new Set(['introduced', 'fixed', 'last_affected']);

/** The OSV records of a file's parsed JSON: one record, an array of them, osv.dev's
 * `{vulns: [...]}` answer, or Warden's own snapshot format `{advisories: [...]}`. */
export function osvRecords(input: unknown): unknown[] {
  if (Array.isArray(input)) {
    return input;
  }
  if (input && typeof input === 'object') {
    const o = input as Record<string, unknown>;
    if (Array.isArray(o.vulns)) {
      return o.vulns;
    }
    if (Array.isArray(o.advisories)) {
      return o.advisories;
    }
    if (typeof o.id === 'string') {
      return [o];
    }
  }
  throw new Error(
    'not OSV JSON: expected a record, an array, {vulns: [...]} or {advisories: [...]}'
  );
}

export function toPolicyAdvisories(records: unknown[]): ImportResult {
  const out: ImportResult = { records: [], skipped: [] };
  for (const raw of records) {
    const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const id = typeof r.id === 'string' ? r.id : '(no id)';
    const made = reduce(r);
    if (typeof made === 'string') {
      out.skipped.push(`${id}: ${made}`);
    } else {
      out.records.push(made);
    }
  }
  return out;
}

function reduce(r: Record<string, unknown>): PolicyAdvisory | string {
  if (!isId(r.id)) {
    return 'no usable id';
  }
  if (r.withdrawn) {
    return 'withdrawn';
  }
  const affected: PolicyAdvisory['affected'] = [];
  for (const a of Array.isArray(r.affected) ? r.affected : []) {
    const pkg = (a?.package ?? {}) as Record<string, unknown>;
    if (pkg.ecosystem !== 'PyPI') {
      continue;
    }
    if (typeof pkg.name !== 'string' || !NAME.test(pkg.name)) {
      return `package name ${JSON.stringify(pkg.name)} is not a distribution name`;
    }
    const entry: PolicyAdvisory['affected'][number] = {
      package: { ecosystem: 'PyPI', name: pkg.name }
    };
    const ranges = (Array.isArray(a.ranges) ? a.ranges : []).filter(
      (g: { type?: unknown }) => g?.type === 'ECOSYSTEM'
    );
    if (ranges.length > LIMITS.ranges) {
      return `${pkg.name}: ${ranges.length} ECOSYSTEM ranges (a policy holds ${LIMITS.ranges})`;
    }
    if (ranges.length) {
      entry.ranges = [];
      for (const g of ranges) {
        const events = Array.isArray(g.events) ? g.events : [];
        if (!events.length || events.length > LIMITS.events) {
          const most = LIMITS.events;
          return `${pkg.name}: a range of ${events.length} events (a policy holds 1 to ${most})`;
        }
        const kept = [];
        for (const e of events) {
          const keys = Object.keys(e ?? {});
          const kind = keys[0];
          const bound = String(e[kind]);
          if (keys.length !== 1 || !EVENT_KINDS.has(kind) || !readable(bound)) {
            return `${pkg.name}: an event Warden cannot read (${JSON.stringify(e)})`;
          }
          kept.push({ [kind]: String(e[kind]) });
        }
        entry.ranges.push({ type: 'ECOSYSTEM', events: kept });
      }
    } else {
      // Versions are read only without ranges: OSV's enumeration repeats what ranges say.
      const versions: string[] = Array.isArray(a.versions) ? a.versions.map(String) : [];
      if (!versions.length) {
        return `${pkg.name}: neither ECOSYSTEM ranges nor versions`;
      }
      if (versions.length > LIMITS.versions || !versions.every(readable)) {
        const most = LIMITS.versions;
        return `${pkg.name}: ${versions.length} listed versions (a policy holds ${most} readable)`;
      }
      entry.versions = versions;
    }
    affected.push(entry);
  }
  if (!affected.length) {
    return 'no PyPI package';
  }
  if (affected.length > LIMITS.affected) {
    return `${affected.length} PyPI packages (a policy holds ${LIMITS.affected} a record)`;
  }
  const record: PolicyAdvisory = { id: r.id, affected };
  const summary = typeof r.summary === 'string' ? r.summary : firstLine(r.details);
  if (summary) {
    record.summary =
      summary.length > LIMITS.summary ? summary.slice(0, LIMITS.summary - 1) + '…' : summary;
  }
  const aliases = (Array.isArray(r.aliases) ? r.aliases : []).filter(isId).slice(0, LIMITS.aliases);
  if (aliases.length) {
    record.aliases = aliases;
  }
  const kind = (r.database_specific as Record<string, unknown> | undefined)?.warden_kind;
  if (kind === 'malicious' || kind === 'vulnerability') {
    record.database_specific = { warden_kind: kind };
  }
  return record;
}

function firstLine(text: unknown): string {
  return typeof text === 'string' ? (text.split('\n').find(l => l.trim()) ?? '').trim() : '';
}

/** `doc` with `records` in `dependencies.advisories`: a record replaces the one of the same
 * id, others are appended; the rest of the document is unchanged (a new object). */
export function mergeAdvisories(
  doc: Record<string, unknown>,
  records: PolicyAdvisory[]
): Record<string, unknown> {
  const deps = { ...((doc.dependencies as Record<string, unknown> | undefined) ?? {}) };
  const current = Array.isArray(deps.advisories) ? (deps.advisories as PolicyAdvisory[]) : [];
  const fresh = new Map(records.map(r => [r.id, r]));
  const merged = current.map(r => fresh.get(r.id) ?? r);
  const known = new Set(current.map(r => r.id));
  for (const r of records) {
    if (!known.has(r.id)) {
      merged.push(r);
      known.add(r.id);
    }
  }
  deps.advisories = merged;
  return { ...doc, dependencies: deps };
}
