import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { triageBatch, type ValidEvent } from '../events/ingest.js';
import { QuotaExceeded } from '../events/store.js';
import { HttpError } from '../http/errors.js';
import { decodeBody } from '../http/bodies.js';
import { storableString, UNSTORABLE } from '../http/json.js';
import { routeSchemas } from '../http/route-schemas.js';
import type { Identity } from '../identity.js';
import { parseStatus } from '../inventory/labs.js';
import {
  etagMatches,
  issueWindow,
  servedDocument,
  signEnvelope,
  type Envelope
} from '../policy/envelope.js';
import { selectPolicy } from '../policy/selection.js';
import '../plugins/types.js';

// The lab-facing half of API v1: whoami, keys, policy, events, status.

/** The lab a `lab`-access route's caller names (the access check guarantees one). */
function labOf(req: FastifyRequest): Identity & { lab: string } {
  return req.identity as Identity & { lab: string };
}

export default fp(
  async app => {
    const { config } = app;
    const schemas = routeSchemas();
    // Signed envelopes are reused while nothing that goes into them changed.
    const signed = new Map<string, { envelope: Envelope; etag: string }>();
    // A shutdown must not wait out long polls: they answer 304 at once and the lab polls again.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
      app.policyChanges.notify();
    });

    async function policyFor(who: Identity & { lab: string }) {
      const snap = await app.policies.current();
      const chosen = selectPolicy(snap.policies, who);
      const { issuedAt, expiresAt } = issueWindow(Date.now(), config.policyTtlMs);
      const keyId = app.keyring.activeKeyId;
      const key = JSON.stringify([
        chosen?.name ?? '',
        chosen?.revision ?? 0,
        snap.head,
        issuedAt,
        keyId,
        who.lab
      ]);
      let hit = signed.get(key);
      if (!hit) {
        if (signed.size > 1000) {
          signed.clear();
        }
        const doc = servedDocument(chosen?.document, snap.head, issuedAt, expiresAt, who.lab);
        hit = signEnvelope(doc, app.keyring);
        signed.set(key, hit);
      }
      return hit;
    }

    app.get('/api/v1/whoami', { config: { auth: 'any' } }, async req => {
      const w = req.identity!;
      return { lab: w.lab, user: w.user, groups: w.groups, role: w.role, via: w.via };
    });

    app.get('/api/v1/keys', { config: { auth: 'any' } }, async () => ({
      keys: app.keyring.publicKeys()
    }));

    app.get<{ Querystring: { wait?: string } }>(
      '/api/v1/policy',
      { config: { auth: 'lab' }, schema: schemas.policy },
      async (req, reply) => {
        const who = labOf(req);
        const wait = req.query.wait === undefined ? 0 : Number(req.query.wait);
        if (wait > 60) {
          throw new HttpError(
            400,
            'bad_request',
            'wait must be an integer number of seconds from 0 to 60'
          );
        }
        void app.labs.seen(who.lab).catch(() => undefined);
        const inm = req.headers['if-none-match'];
        let current = await policyFor(who);
        if (wait > 0 && etagMatches(inm, current.etag)) {
          // Long poll: hold the request until this caller's ETag changes or time runs out. A
          // change through any replica wakes it (see policy/changes.ts); each step re-reads anyway.
          const deadline = Date.now() + wait * 1000;
          let closed = false;
          req.raw.once('close', () => (closed = true));
          while (!closed && !closing && Date.now() < deadline && etagMatches(inm, current.etag)) {
            await app.policyChanges.wait(
              Math.min(config.longPollStepMs, Math.max(0, deadline - Date.now()))
            );
            current = await policyFor(who);
          }
        }
        reply.header('etag', current.etag).header('cache-control', 'no-cache');
        if (etagMatches(inm, current.etag)) {
          return reply.code(304).send();
        }
        return current.envelope;
      }
    );

    app.post<{ Body: { events: unknown[]; users?: (string | null)[] } }>(
      '/api/v1/events',
      {
        // Events are checked one by one (a bad one is rejected, not the batch).
        config: { auth: 'lab', checkedApart: 'events' },
        schema: schemas.events,
        bodyLimit: config.inflatedLimit,
        preParsing: decodeBody(config.bodyLimit)
      },
      async req => {
        const who = labOf(req);
        const { events, users } = req.body;
        if (events.length > config.maxBatch) {
          throw new HttpError(
            413,
            'payload_too_large',
            `at most ${config.maxBatch} events per request`
          );
        }
        if (users !== undefined && users.length !== events.length) {
          throw new HttpError(400, 'bad_request', 'users must have one entry per event');
        }
        if (users?.some(u => typeof u === 'string' && !storableString(u))) {
          throw new HttpError(400, 'bad_request', `users ${UNSTORABLE}`);
        }
        // Every event counts, rejected ones too: the rate bounds work, not only storage.
        const rate = app.eventRate.take(who.key, events.length);
        if (!rate.ok) {
          throw new HttpError(
            429,
            'rate_limited',
            `event rate of ${config.eventRate} per minute exceeded; ` +
              `retry in ${rate.retryAfterSeconds} s`,
            rate.retryAfterSeconds
          );
        }
        const { results, valid } = triageBatch(events, app.contracts);
        if (valid.length) {
          // The lab is the authority for its own users, so its word is taken for lab tokens;
          // a Hub credential is a user already.
          const fromLab = who.via === 'lab-token' && users !== undefined;
          const userOf = (e: ValidEvent) => (fromLab ? (users[e.index] ?? who.user) : who.user);
          const dupes = await insertWithinQuota(who.lab, valid, userOf);
          for (const v of valid) {
            if (dupes.has(v.event_id)) {
              results[v.index] = { event_id: v.event_id, status: 'duplicate' };
            }
          }
        }
        await app.labs.seen(who.lab);
        return { results };
      }
    );

    /** Per-lab storage quota: over it, the lab keeps its events and retries later. */
    async function insertWithinQuota(
      lab: string,
      valid: ValidEvent[],
      userOf: (e: ValidEvent) => string | null
    ) {
      try {
        return await app.events.insert(lab, valid, userOf, {
          events: config.labQuotaEvents,
          bytes: config.labQuotaBytes
        });
      } catch (e) {
        if (!(e instanceof QuotaExceeded)) {
          throw e;
        }
        const retry = Math.max(1, Math.ceil(config.retentionIntervalMs / 1000));
        throw new HttpError(
          429,
          'quota_exceeded',
          `lab '${lab}' is over its storage quota ` +
            `(${e.used.events} events, ${e.used.bytes} bytes stored)`,
          retry
        );
      }
    }

    app.post<{ Body: unknown }>(
      '/api/v1/status',
      { config: { auth: 'lab' }, schema: schemas.status, preParsing: decodeBody(config.bodyLimit) },
      async (req, reply) => {
        const who = labOf(req);
        const parsed = parseStatus(req.body);
        if ('error' in parsed) {
          throw new HttpError(400, 'bad_request', parsed.error);
        }
        await app.labs.report(who.lab, parsed.status);
        if (parsed.status.packages) {
          await app.packages.report(who.lab, who.user, parsed.status.packages);
        }
        return reply.code(204).send();
      }
    );
  },
  {
    name: 'warden-lab-routes',
    encapsulate: true,
    dependencies: ['warden-access', 'warden-policy', 'warden-events', 'warden-artifacts']
  }
);
