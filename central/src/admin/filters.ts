import type { EventFilter } from '../events/store.js';
import { EVENT_ACTIONS, EVENT_KINDS, SEVERITIES } from '../generated/contract-enums.js';

// Pure: query-string filters of the admin events endpoints, checked.

function time(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') {
    return undefined;
  }
  // At most 15 digits: a larger number would overflow the database's BIGINT (a 500).
  const t = /^\d{1,15}$/.test(v) ? Number(v) : /^\d+$/.test(v) ? NaN : Date.parse(v);
  if (!Number.isFinite(t)) {
    throw new Error(`${name} must be an ISO date-time or epoch milliseconds`);
  }
  return t;
}

/** What an event says was done (contract 3, from schema/event.schema.json). */
export { EVENT_ACTIONS };

const oneOf = (values: readonly string[], v: string) => values.includes(v);

export function parseEventFilter(q: Record<string, string | undefined>): EventFilter {
  const f: EventFilter = {};
  for (const k of ['user', 'lab', 'rule'] as const) {
    const v = q[k];
    if (v !== undefined && v !== '') {
      if (v.length > 200) {
        throw new Error(`${k} is too long`);
      }
      f[k] = v;
    }
  }
  // A user is a lab's user: `lab-a/bob` is bob of lab-a only (split at the last '/', so Hub
  // labs `hub/<name>` work); a bare `bob` matches every lab's bob, each event naming its lab.
  if (f.user?.includes('/')) {
    const cut = f.user.lastIndexOf('/');
    const lab = f.user.slice(0, cut);
    const user = f.user.slice(cut + 1);
    if (!lab || !user) {
      throw new Error("user must be 'name' or 'lab/name'");
    }
    if (f.lab !== undefined && f.lab !== lab) {
      throw new Error(`user names lab '${lab}' but the lab filter is '${f.lab}'`);
    }
    f.lab = lab;
    f.user = user;
  }
  for (const k of ['severity', 'min_severity'] as const) {
    const v = q[k];
    if (v !== undefined && v !== '') {
      if (!oneOf(SEVERITIES, v)) {
        throw new Error(`${k} must be one of ${SEVERITIES.join(', ')}`);
      }
      f[k] = v;
    }
  }
  if (q.kind !== undefined && q.kind !== '') {
    if (!oneOf(EVENT_KINDS, q.kind)) {
      throw new Error(`kind must be one of ${EVENT_KINDS.join(', ')}`);
    }
    f.kind = q.kind;
  }
  if (q.action !== undefined && q.action !== '') {
    if (!oneOf(EVENT_ACTIONS, q.action)) {
      throw new Error(`action must be one of ${EVENT_ACTIONS.join(', ')}`);
    }
    f.action = q.action;
  }
  f.since = time(q.since, 'since');
  f.until = time(q.until, 'until');
  return f;
}

export function parseLimit(v: string | undefined, dflt: number, max: number): number {
  if (v === undefined || v === '') {
    return dflt;
  }
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new Error(`limit must be an integer from 1 to ${max}`);
  }
  return Number(v);
}

export function parseCursor(v: string | undefined): string | undefined {
  if (v === undefined || v === '') {
    return undefined;
  }
  if (!/^\d{1,16}\.\d{1,16}$/.test(v)) {
    throw new Error('cursor is not one this service returned');
  }
  return v;
}

export const BUCKETS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
