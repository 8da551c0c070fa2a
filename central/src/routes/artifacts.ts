import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { parseLimit } from '../admin/filters.js';
import type { ArtifactReport, FleetDecision } from '../artifacts/types.js';
import { HttpError } from '../http/errors.js';
import { decodeBody } from '../http/bodies.js';
import { routeSchemas } from '../http/route-schemas.js';
import { etagMatches } from '../policy/envelope.js';
import '../plugins/types.js';

// The fleet artifact registry (issue 19): the labs' lookup, reports and signed decisions, and
// the admins' list and decision. Every route declares who may call it (deny by default); the
// lab and user of a report come from the credential, never from the body.

type Q = { Querystring: Record<string, string> };

function labOf(req: FastifyRequest): { lab: string; user: string | null } {
  const who = req.identity!;
  return { lab: who.lab as string, user: who.user };
}

function parsed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new HttpError(400, 'bad_request', (e as Error).message);
  }
}

export default fp(
  async app => {
    const { config } = app;
    const schemas = routeSchemas();
    const lab = { auth: 'lab' as const };
    const admin = { auth: 'admin' as const };

    app.post<{ Body: { sha256: string[] } }>(
      '/api/v1/artifacts/lookup',
      { config: lab, schema: schemas.artifactLookup, preParsing: decodeBody(config.bodyLimit) },
      async req => ({ artifacts: await app.artifacts.lookup(req.body.sha256) })
    );

    app.post<{ Body: { reports: ArtifactReport[] } }>(
      '/api/v1/artifacts/reports',
      {
        config: lab,
        schema: schemas.artifactReports,
        bodyLimit: config.inflatedLimit,
        preParsing: decodeBody(config.bodyLimit)
      },
      async (req, reply) => {
        const who = labOf(req);
        const { dropped } = await app.artifacts.record(who, req.body.reports);
        await app.labs.seen(who.lab);
        // Over the lab's row quota: taken (a retry cannot help) and counted, not stored.
        return reply.code(202).send({ accepted: req.body.reports.length - dropped, dropped });
      }
    );

    app.get<{ Querystring: { since?: string } }>(
      '/api/v1/artifacts/decisions',
      { config: lab, schema: schemas.artifactDecisions },
      async (req, reply) => {
        // The head only picks the cached signature; a new one signs the revision read in one
        // snapshot with its decisions (artifacts/store.ts, decisions()).
        const head = await app.artifacts.head();
        const signed = await app.signedDecisions.get(head.revision, () =>
          app.artifacts.decisions()
        );
        reply
          .header('etag', signed.etag)
          .header('cache-control', 'no-cache')
          .header('x-warden-revision', String(signed.revision));
        const since = req.query.since ? Number(req.query.since) : undefined;
        if (since === signed.revision || etagMatches(req.headers['if-none-match'], signed.etag)) {
          return reply.code(304).send();
        }
        return signed.envelope;
      }
    );

    app.get<Q>(
      '/api/v1/admin/artifacts',
      { config: admin, schema: schemas.adminArtifacts },
      async req => {
        const q = req.query;
        const limit = parsed(() => parseLimit(q.limit, 50, 200));
        const cursor = q.cursor ? Number(q.cursor) : undefined;
        return app.artifacts.list(
          {
            sha256: q.sha256 || undefined,
            decision: q.decision || undefined,
            verdict: q.verdict || undefined,
            repo: q.repo || undefined
          },
          limit,
          cursor
        );
      }
    );

    app.put<{
      Params: { sha256: string };
      Body: { decision: FleetDecision | null; note: string };
    }>(
      '/api/v1/admin/artifacts/:sha256/decision',
      { config: admin, schema: schemas.artifactDecision },
      async req => {
        const { decision, note } = req.body;
        const out = await app.artifacts.decide(
          req.params.sha256,
          decision,
          note,
          req.identity!.actor
        );
        return { sha256: req.params.sha256, decision, note, revision: out.revision };
      }
    );
  },
  {
    name: 'warden-artifact-routes',
    encapsulate: true,
    dependencies: ['warden-access', 'warden-artifacts', 'warden-events']
  }
);
