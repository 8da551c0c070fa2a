import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { recordAudit, listAudit } from '../audit.js';
import { TokenStore } from '../auth/tokens.js';
import { BUCKETS, parseCursor, parseEventFilter, parseLimit } from '../admin/filters.js';
import { formatErrors } from '../contracts.js';
import { toOcsf } from '../exports/ocsf.js';
import { toSarif } from '../exports/sarif.js';
import type { StoredEvent } from '../events/store.js';
import { HttpError } from '../http/errors.js';
import { ShadowMlInventory } from '../inventory/shadowml.js';
import { PolicyConflict, PolicyNotFound } from '../policy/store.js';
import type { Services } from '../services.js';

// /api/v1/admin/*: policies with history and audit, events, inventories, tokens, exports.

const POLICY_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

function bad(fn: () => unknown) {
  try {
    return fn();
  } catch (e) {
    throw new HttpError(400, 'bad_request', (e as Error).message);
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'bad_request', 'body must be a JSON object');
  return body as Record<string, unknown>;
}

export function registerAdminRoutes(app: FastifyInstance, s: Services) {
  const P = '/api/v1/admin';

  /** Checks an admin's policy document; revision and times are the service's to set. */
  function checkDocument(doc: unknown): Record<string, unknown> {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new HttpError(400, 'bad_request', 'document must be a JSON object');
    const candidate = { schema_version: 1, revision: 0, ...(doc as object) };
    const errors = s.contracts.validatePolicy(candidate);
    if (errors.length) throw new HttpError(400, 'bad_request', `policy is invalid: ${formatErrors(errors)}`);
    const out = { ...(doc as Record<string, unknown>) };
    delete out.issued_at;
    delete out.expires_at;
    return out;
  }

  function comment(b: Record<string, unknown>): string | undefined {
    if (b.comment === undefined || b.comment === null) return undefined;
    if (typeof b.comment !== 'string' || b.comment.length > 500) throw new HttpError(400, 'bad_request', 'comment must be a string of at most 500 characters');
    return b.comment;
  }

  const mapPolicyErrors = (e: unknown) => {
    if (e instanceof PolicyConflict) throw new HttpError(409, 'conflict', e.message);
    if (e instanceof PolicyNotFound) throw new HttpError(404, 'not_found', e.message);
    throw e;
  };

  app.get(`${P}/policies`, async () => ({ policies: await s.policies.list(), head_revision: await s.policies.head() }));

  app.post(`${P}/policies/validate`, async (req) => {
    const b = objectBody(req.body);
    const doc = b.document;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { valid: false, errors: [{ path: '/', message: 'document must be a JSON object' }] };
    const errors = s.contracts.validatePolicy({ schema_version: 1, revision: 0, ...(doc as object) });
    const unknownRules = Object.keys(((doc as Record<string, unknown>).rules as object) ?? {}).filter((r) => !s.contracts.rules.has(r));
    return { valid: errors.length === 0, errors, warnings: unknownRules.map((r) => ({ path: `/rules/${r}`, message: 'rule id is not in the catalog' })) };
  });

  app.post(`${P}/policies`, async (req, reply) => {
    const b = objectBody(req.body);
    if (typeof b.name !== 'string' || !POLICY_NAME.test(b.name)) throw new HttpError(400, 'bad_request', 'name must match ^[a-z0-9][a-z0-9_-]{0,63}$');
    const doc = checkDocument(b.document);
    const out = await s.policies.write('create', b.name, doc, req.identity!.actor, { comment: comment(b) }).catch(mapPolicyErrors);
    return reply.code(201).send(out);
  });

  app.put<{ Params: { name: string } }>(`${P}/policies/:name`, async (req) => {
    const b = objectBody(req.body);
    const doc = checkDocument(b.document);
    let base: number | undefined;
    if (b.base_revision !== undefined) {
      if (!Number.isSafeInteger(b.base_revision)) throw new HttpError(400, 'bad_request', 'base_revision must be an integer');
      base = b.base_revision as number;
    }
    return s.policies.write('update', req.params.name, doc, req.identity!.actor, { baseRevision: base, comment: comment(b) }).catch(mapPolicyErrors);
  });

  app.delete<{ Params: { name: string } }>(`${P}/policies/:name`, async (req, reply) => {
    await s.policies.remove(req.params.name, req.identity!.actor).catch(mapPolicyErrors);
    return reply.code(204).send();
  });

  app.get<{ Params: { name: string } }>(`${P}/policies/:name/revisions`, async (req) => {
    const revisions = await s.policies.revisions(req.params.name);
    if (!revisions.length) throw new HttpError(404, 'not_found', `policy '${req.params.name}' has no history`);
    return { revisions };
  });

  app.get<{ Querystring: Record<string, string> }>(`${P}/audit`, async (req) => {
    const limit = bad(() => parseLimit(req.query.limit, 100, 500)) as number;
    const before = req.query.before ? Number(req.query.before) : undefined;
    if (before !== undefined && !Number.isSafeInteger(before)) throw new HttpError(400, 'bad_request', 'before must be an integer');
    return listAudit(s.db, limit, before);
  });

  app.get<{ Querystring: Record<string, string> }>(`${P}/events`, async (req) => {
    const filter = bad(() => parseEventFilter(req.query)) as ReturnType<typeof parseEventFilter>;
    const limit = bad(() => parseLimit(req.query.limit, 100, 500)) as number;
    const cursor = bad(() => parseCursor(req.query.cursor)) as string | undefined;
    return s.events.query(filter, limit, cursor);
  });

  app.get<{ Querystring: Record<string, string> }>(`${P}/events/stats`, async (req) => {
    const filter = bad(() => parseEventFilter(req.query)) as ReturnType<typeof parseEventFilter>;
    const bucket = req.query.bucket ?? 'hour';
    if (!(bucket in BUCKETS)) throw new HttpError(400, 'bad_request', 'bucket must be minute, hour or day');
    return { bucket, ...(await s.events.stats(filter, BUCKETS[bucket])) };
  });

  app.get(`${P}/labs`, async () => ({ labs: await s.labs.list(await s.events.countsByLab()) }));

  app.get<{ Querystring: Record<string, string> }>(`${P}/shadow-ml`, async (req) => {
    const filter = bad(() => parseEventFilter(req.query)) as ReturnType<typeof parseEventFilter>;
    const inv = new ShadowMlInventory();
    for await (const ev of s.events.scan(filter)) inv.add(ev);
    return inv.result();
  });

  app.get(`${P}/tokens`, async () => ({ tokens: await s.tokens.list() }));

  app.post(`${P}/tokens`, async (req, reply) => {
    const b = objectBody(req.body);
    const kind = b.kind ?? 'lab';
    if (kind !== 'lab' && kind !== 'admin') throw new HttpError(400, 'bad_request', "kind must be 'lab' or 'admin'");
    if (typeof b.name !== 'string' || !TOKEN_NAME.test(b.name)) throw new HttpError(400, 'bad_request', 'name must match ^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$');
    if (b.user !== undefined && b.user !== null && (typeof b.user !== 'string' || b.user.length > 200)) throw new HttpError(400, 'bad_request', 'user must be a string');
    if (b.groups !== undefined && !(Array.isArray(b.groups) && b.groups.length <= 100 && b.groups.every((g) => typeof g === 'string' && g.length <= 200)))
      throw new HttpError(400, 'bad_request', 'groups must be a list of strings');
    const issued = await s.db.transaction(async (tx) => {
      const out = await new TokenStore(tx).issue({
        kind,
        name: b.name as string,
        user: (b.user as string) ?? null,
        groups: (b.groups as string[]) ?? [],
        createdBy: req.identity!.actor,
      });
      await recordAudit(tx, req.identity!.actor, 'token.issue', `${kind}:${b.name}`, { id: out.id, user: b.user ?? null, groups: b.groups ?? [] });
      return out;
    });
    return reply.code(201).send({ id: issued.id, kind, name: b.name, token: issued.token });
  });

  app.delete<{ Params: { id: string } }>(`${P}/tokens/:id`, async (req, reply) => {
    const rec = await s.tokens.revoke(req.params.id);
    if (!rec) throw new HttpError(404, 'not_found', 'no such token');
    await recordAudit(s.db, req.identity!.actor, 'token.revoke', `${rec.kind}:${rec.name}`, { id: rec.id });
    s.auth.forgetAll();
    return reply.code(204).send();
  });

  /** Streams one line per event, so an export of many events never sits in memory whole. */
  function sendExport(reply: FastifyReply, gen: AsyncGenerator<StoredEvent>, type: string, line: (e: StoredEvent) => string) {
    async function* lines() {
      for await (const ev of gen) yield line(ev);
    }
    return reply.type(type).send(Readable.from(lines()));
  }

  app.get<{ Querystring: Record<string, string> }>(`${P}/export/ocsf`, async (req, reply) => {
    const filter = bad(() => parseEventFilter(req.query)) as ReturnType<typeof parseEventFilter>;
    reply.header('content-disposition', 'attachment; filename="warden-findings.ocsf.jsonl"');
    return sendExport(reply, s.events.scan(filter), 'application/x-ndjson', (e) => JSON.stringify(toOcsf(e, s.contracts.rules)) + '\n');
  });

  app.get<{ Querystring: Record<string, string> }>(`${P}/export/sarif`, async (req, reply) => {
    const filter = { ...(bad(() => parseEventFilter(req.query)) as ReturnType<typeof parseEventFilter>), kind: 'static' };
    const events: StoredEvent[] = [];
    for await (const e of s.events.scan(filter)) events.push(e);
    reply.header('content-disposition', 'attachment; filename="warden-static.sarif"');
    return reply.type('application/sarif+json').send(JSON.stringify(toSarif(events, s.contracts.rules)));
  });

  app.get(`${P}/forwarding`, async () => ({ sinks: s.forwarder?.stats ?? {} }));
}
