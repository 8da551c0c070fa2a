import type { FastifyInstance, FastifyRequest } from 'fastify';
import { triageBatch } from '../events/ingest.js';
import { HttpError } from '../http/errors.js';
import { decodeBody } from '../http/bodies.js';
import type { Identity } from '../identity.js';
import { parseStatus } from '../inventory/labs.js';
import { etagMatches, issueWindow, servedDocument, signEnvelope, type Envelope } from '../policy/envelope.js';
import { selectPolicy } from '../policy/selection.js';
import type { Services } from '../services.js';

// The lab-facing half of API v1: whoami, keys, policy, events, status.

function labOf(req: FastifyRequest): Identity & { lab: string } {
  const who = req.identity!;
  if (!who.lab) throw new HttpError(403, 'forbidden', 'this endpoint is for lab credentials');
  return who as Identity & { lab: string };
}

export function registerLabRoutes(app: FastifyInstance, s: Services) {
  const { config } = s;
  // Signed envelopes are reused while nothing that goes into them changed.
  const signed = new Map<string, { envelope: Envelope; etag: string }>();
  // A shutdown must not wait out long polls: they answer 304 at once and the lab polls again.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  async function policyFor(who: Identity) {
    const snap = await s.policies.current();
    const chosen = selectPolicy(snap.policies, who);
    const { issuedAt, expiresAt } = issueWindow(Date.now(), config.policyTtlMs);
    const key = `${chosen?.name ?? ''}|${chosen?.revision ?? 0}|${snap.head}|${issuedAt}|${s.keyring.activeKeyId}`;
    let hit = signed.get(key);
    if (!hit) {
      if (signed.size > 1000) signed.clear();
      hit = signEnvelope(servedDocument(chosen?.document, snap.head, issuedAt, expiresAt), s.keyring);
      signed.set(key, hit);
    }
    return hit;
  }

  app.get('/api/v1/whoami', async (req) => {
    const w = req.identity!;
    return { lab: w.lab, user: w.user, groups: w.groups, role: w.role, via: w.via };
  });

  app.get('/api/v1/keys', async () => ({ keys: s.keyring.publicKeys() }));

  app.get<{ Querystring: { wait?: string } }>('/api/v1/policy', async (req, reply) => {
    const who = req.identity!;
    let wait = 0;
    if (req.query.wait !== undefined) {
      if (!/^\d{1,2}$/.test(req.query.wait) || Number(req.query.wait) > 60) throw new HttpError(400, 'bad_request', 'wait must be an integer number of seconds from 0 to 60');
      wait = Number(req.query.wait);
    }
    if (who.lab) void s.labs.seen(who.lab).catch(() => undefined);
    const inm = req.headers['if-none-match'];
    let current = await policyFor(who);
    if (wait > 0 && etagMatches(inm, current.etag)) {
      // Long poll: hold the request until this caller's ETag changes or time runs out.
      const deadline = Date.now() + wait * 1000;
      let closed = false;
      req.raw.once('close', () => (closed = true));
      while (!closed && !closing && Date.now() < deadline && etagMatches(inm, current.etag)) {
        await new Promise((r) => setTimeout(r, Math.min(s.longPollStepMs, Math.max(0, deadline - Date.now()))));
        current = await policyFor(who);
      }
    }
    reply.header('etag', current.etag).header('cache-control', 'no-cache');
    if (etagMatches(inm, current.etag)) return reply.code(304).send();
    return current.envelope;
  });

  app.post<{ Body: unknown }>('/api/v1/events', { bodyLimit: config.inflatedLimit, preParsing: decodeBody(config.bodyLimit) }, async (req) => {
    const who = labOf(req);
    const body = req.body as { events?: unknown } | null;
    if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(body.events))
      throw new HttpError(400, 'bad_request', 'body must be {"events": [...]}');
    if (body.events.length > config.maxBatch) throw new HttpError(413, 'payload_too_large', `at most ${config.maxBatch} events per request`);
    const { results, valid } = triageBatch(body.events, s.contracts);
    if (valid.length) {
      const dupes = await s.events.insert(who, valid);
      for (const v of valid) if (dupes.has(v.event_id)) results[v.index] = { event_id: v.event_id, status: 'duplicate' };
    }
    await s.labs.seen(who.lab);
    return { results };
  });

  app.post<{ Body: unknown }>('/api/v1/status', { preParsing: decodeBody(config.bodyLimit) }, async (req, reply) => {
    const who = labOf(req);
    const parsed = parseStatus(req.body);
    if ('error' in parsed) throw new HttpError(400, 'bad_request', parsed.error);
    await s.labs.report(who.lab, parsed.status);
    return reply.code(204).send();
  });
}
