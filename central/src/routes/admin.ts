import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { recordAudit, listAudit } from '../audit.js';
import { TokenStore } from '../auth/tokens.js';
import { BUCKETS, parseCursor, parseEventFilter, parseLimit } from '../admin/filters.js';
import { toOcsf } from '../exports/ocsf.js';
import { sarifChunks } from '../exports/sarif.js';
import type { StoredEvent } from '../events/store.js';
import { EVENT_ACTIONS, EVENT_KINDS, SEVERITIES } from '../generated/contract-enums.js';
import { HttpError } from '../http/errors.js';
import { ShadowMlInventory } from '../inventory/shadowml.js';
import { allDecisions } from '../policy/decision.js';
import { PolicyConflict, PolicyNotFound } from '../policy/store.js';
import { routeSchemas } from '../http/route-schemas.js';
import '../plugins/types.js';

// /api/v1/admin/*: policies with history and audit, events, inventories, tokens, exports.
// The artifact registry's admin routes live with the rest of the registry (routes/artifacts.ts).

function bad(fn: () => unknown) {
  try {
    return fn();
  } catch (e) {
    throw new HttpError(400, 'bad_request', (e as Error).message);
  }
}

type Q = { Querystring: Record<string, string> };
type Filter = ReturnType<typeof parseEventFilter>;

export default fp(
  async app => {
    const s = app;
    const P = '/api/v1/admin';
    const schemas = routeSchemas();
    // Every route here is for admins; each still declares it (deny by default).
    const admin = { auth: 'admin' as const };

    /** The document as central stores it: revision, times and audience are ours to set. */
    function asStored(doc: Record<string, unknown>): Record<string, unknown> {
      const out = { ...doc };
      for (const k of ['issued_at', 'expires_at', 'audience']) {
        delete out[k];
      }
      return out;
    }

    /** Why `doc` could not be served to a lab (the labs' own check, advisory versions
     * included), or []. */
    function problemsOf(doc: Record<string, unknown>) {
      const full = { schema_version: 1, revision: 0, ...asStored(doc) };
      return s.contracts
        .policyProblems(full)
        .map(({ code, path, message }) => ({ code, path: path || '/', message }));
    }

    /** Refuses (400) a document every lab would refuse, before it is stored or signed. */
    function usable(doc: Record<string, unknown>): Record<string, unknown> {
      const problems = problemsOf(doc);
      if (problems.length) {
        const said = problems.slice(0, 5).map(p => `${p.path}: ${p.message}`);
        throw new HttpError(400, 'bad_request', `policy document refused: ${said.join('; ')}`);
      }
      return asStored(doc);
    }

    const mapPolicyErrors = (e: unknown) => {
      if (e instanceof PolicyConflict) {
        throw new HttpError(409, 'conflict', e.message);
      }
      if (e instanceof PolicyNotFound) {
        throw new HttpError(404, 'not_found', e.message);
      }
      throw e;
    };

    app.get(`${P}/policies`, { config: admin }, async () => ({
      policies: await s.policies.list(),
      head_revision: await s.policies.head()
    }));

    app.post<{ Body: Record<string, unknown> }>(
      `${P}/policies/validate`,
      { config: admin, schema: schemas.validatePolicy },
      async req => {
        const doc = req.body.document;
        if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
          return {
            valid: false,
            errors: [{ code: 'schema', path: '/', message: 'document must be a JSON object' }],
            warnings: []
          };
        }
        const errors = problemsOf(doc as Record<string, unknown>);
        // `warnings` stays for API v1 clients; an unknown rule id is an error now (labs refuse it).
        return { valid: errors.length === 0, errors, warnings: [] };
      }
    );

    // The policy editor's rule picker: the catalog with its defaults, and the built-in default
    // policy an admin may start from.
    app.get(`${P}/catalog`, { config: admin }, async () => {
      const defaults = { ...s.contracts.defaultPolicy };
      // Central sets these itself when a policy is saved.
      delete defaults.schema_version;
      delete defaults.revision;
      // The event fields' values, from schema/event.schema.json: the dashboard's filters
      // offer what the schema has (a new action appears without a dashboard edit).
      const event = { severities: SEVERITIES, actions: EVENT_ACTIONS, kinds: EVENT_KINDS };
      return { rules: [...s.contracts.rules.values()], default_policy: defaults, event };
    });

    // What a draft document decides for every rule, as the labs will decide it; nothing stored.
    app.post<{ Body: { document: Record<string, unknown> } }>(
      `${P}/policies/decisions`,
      { config: admin, schema: schemas.decisions },
      async req => {
        const errors = problemsOf(req.body.document);
        if (errors.length) {
          return { valid: false, errors, decisions: [] };
        }
        return {
          valid: true,
          errors,
          decisions: allDecisions(req.body.document, s.contracts.rules)
        };
      }
    );

    type PolicyBody = {
      name: string;
      document: Record<string, unknown>;
      base_revision?: number;
      comment?: string | null;
    };
    app.post<{ Body: PolicyBody }>(
      `${P}/policies`,
      { config: admin, schema: schemas.createPolicy },
      async (req, reply) => {
        const b = req.body;
        const doc = usable(b.document);
        const out = await s.policies
          .write('create', b.name, doc, req.identity!.actor, { comment: b.comment ?? undefined })
          .catch(mapPolicyErrors);
        return reply.code(201).send(out);
      }
    );

    app.put<{ Params: { name: string }; Body: PolicyBody }>(
      `${P}/policies/:name`,
      { config: admin, schema: schemas.updatePolicy },
      async req => {
        const b = req.body;
        const doc = usable(b.document);
        if (b.base_revision !== undefined && !Number.isSafeInteger(b.base_revision)) {
          throw new HttpError(400, 'bad_request', 'base_revision must be an integer');
        }
        return s.policies
          .write('update', req.params.name, doc, req.identity!.actor, {
            baseRevision: b.base_revision,
            comment: b.comment ?? undefined
          })
          .catch(mapPolicyErrors);
      }
    );

    app.delete<{ Params: { name: string } }>(
      `${P}/policies/:name`,
      { config: admin, schema: schemas.policyName },
      async (req, reply) => {
        await s.policies.remove(req.params.name, req.identity!.actor).catch(mapPolicyErrors);
        return reply.code(204).send();
      }
    );

    app.get<{ Params: { name: string } }>(
      `${P}/policies/:name/revisions`,
      { config: admin, schema: schemas.policyName },
      async req => {
        const revisions = await s.policies.revisions(req.params.name);
        if (!revisions.length) {
          throw new HttpError(404, 'not_found', `policy '${req.params.name}' has no history`);
        }
        return { revisions };
      }
    );

    app.get<Q>(`${P}/audit`, { config: admin, schema: schemas.audit }, async req => {
      const limit = bad(() => parseLimit(req.query.limit, 100, 500)) as number;
      const before = req.query.before ? Number(req.query.before) : undefined;
      if (before !== undefined && !Number.isSafeInteger(before)) {
        throw new HttpError(400, 'bad_request', 'before must be an integer');
      }
      return listAudit(s.db, limit, before);
    });

    app.get<Q>(`${P}/events`, { config: admin, schema: schemas.events_list }, async req => {
      const filter = bad(() => parseEventFilter(req.query)) as Filter;
      const limit = bad(() => parseLimit(req.query.limit, 100, 500)) as number;
      const cursor = bad(() => parseCursor(req.query.cursor)) as string | undefined;
      return s.events.query(filter, limit, cursor, req.query.rollup === '1');
    });

    app.get<Q>(`${P}/events/stats`, { config: admin, schema: schemas.stats }, async req => {
      const filter = bad(() => parseEventFilter(req.query)) as Filter;
      const bucket = req.query.bucket ?? 'hour';
      if (!(bucket in BUCKETS)) {
        throw new HttpError(400, 'bad_request', 'bucket must be minute, hour or day');
      }
      return { bucket, ...(await s.events.stats(filter, BUCKETS[bucket])) };
    });

    app.get(`${P}/labs`, { config: admin }, async () => ({
      labs: await s.labs.list(await s.events.countsByLab())
    }));

    app.get<Q>(`${P}/shadow-ml`, { config: admin, schema: schemas.events_query }, async req => {
      const filter = bad(() => parseEventFilter(req.query)) as Filter;
      const inv = new ShadowMlInventory();
      for await (const ev of s.events.scan(filter)) {
        inv.add(ev);
      }
      return inv.result();
    });

    // Package inventory (issue 20): the packages each lab last reported, flagged versions.
    app.get<Q>(`${P}/packages`, { config: admin, schema: schemas.packages }, async req => {
      const q = req.query;
      const limit = bad(() => parseLimit(q.limit, 500, 5000)) as number;
      const flagged = q.flagged === 'true' ? true : q.flagged === 'false' ? false : undefined;
      return s.packages.query({ name: q.name || undefined, flagged }, limit);
    });

    app.get(`${P}/tokens`, { config: admin }, async () => ({ tokens: await s.tokens.list() }));

    type TokenBody = {
      kind?: 'lab' | 'admin';
      name: string;
      user?: string | null;
      groups?: string[];
    };
    app.post<{ Body: TokenBody }>(
      `${P}/tokens`,
      { config: admin, schema: schemas.issueToken },
      async (req, reply) => {
        const b = req.body;
        const kind = b.kind ?? 'lab';
        const issued = await s.db.transaction(async tx => {
          const out = await new TokenStore(tx).issue({
            kind,
            name: b.name as string,
            user: (b.user as string) ?? null,
            groups: (b.groups as string[]) ?? [],
            createdBy: req.identity!.actor
          });
          await recordAudit(tx, req.identity!.actor, 'token.issue', `${kind}:${b.name}`, {
            id: out.id,
            user: b.user ?? null,
            groups: b.groups ?? []
          });
          return out;
        });
        return reply.code(201).send({ id: issued.id, kind, name: b.name, token: issued.token });
      }
    );

    app.delete<{ Params: { id: string } }>(
      `${P}/tokens/:id`,
      { config: admin, schema: schemas.tokenId },
      async (req, reply) => {
        const rec = await s.tokens.revoke(req.params.id);
        if (!rec) {
          throw new HttpError(404, 'not_found', 'no such token');
        }
        await recordAudit(s.db, req.identity!.actor, 'token.revoke', `${rec.kind}:${rec.name}`, {
          id: rec.id
        });
        s.auth.forgetAll();
        return reply.code(204).send();
      }
    );

    /** Streams one line per event, so an export of many events never sits in memory whole. */
    function sendExport(
      reply: FastifyReply,
      gen: AsyncGenerator<StoredEvent>,
      type: string,
      line: (e: StoredEvent) => string
    ) {
      async function* lines() {
        for await (const ev of gen) {
          yield line(ev);
        }
      }
      return reply.type(type).send(Readable.from(lines()));
    }

    app.get<Q>(
      `${P}/export/ocsf`,
      { config: admin, schema: schemas.events_query },
      async (req, reply) => {
        const filter = bad(() => parseEventFilter(req.query)) as Filter;
        reply.header('content-disposition', 'attachment; filename="warden-findings.ocsf.jsonl"');
        return sendExport(
          reply,
          s.events.scan(filter),
          'application/x-ndjson',
          e => JSON.stringify(toOcsf(e, s.contracts.rules)) + '\n'
        );
      }
    );

    app.get<Q>(
      `${P}/export/sarif`,
      { config: admin, schema: schemas.events_query },
      async (req, reply) => {
        const filter = { ...(bad(() => parseEventFilter(req.query)) as Filter), kind: 'static' };
        reply.header('content-disposition', 'attachment; filename="warden-static.sarif"');
        // Streamed like OCSF: a large export must not hold every event in memory.
        return reply
          .type('application/sarif+json')
          .send(Readable.from(sarifChunks(s.events.scan(filter), s.contracts.rules)));
      }
    );

    app.get(`${P}/forwarding`, { config: admin }, async () => ({
      sinks: s.forwarder?.stats ?? {}
    }));
  },
  {
    name: 'warden-admin-routes',
    encapsulate: true,
    dependencies: ['warden-access', 'warden-policy', 'warden-events', 'warden-artifacts']
  }
);
