import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../audit.js';
import { HttpError } from '../http/errors.js';
import type { Services } from '../services.js';

// Dashboard sign-in: an admin credential is exchanged for a short-lived session token.

export function registerSessionRoutes(app: FastifyInstance, s: Services) {
  app.post('/api/v1/auth/session', async (req, reply) => {
    const who = req.identity!;
    if (who.role !== 'admin') throw new HttpError(403, 'forbidden', 'only admins can open a dashboard session');
    const out = await s.tokens.issue({
      kind: 'session',
      name: who.actor.slice(0, 100),
      user: who.user,
      groups: who.groups,
      createdBy: who.actor,
      ttlMs: s.config.sessionTtlMs,
    });
    await recordAudit(s.db, who.actor, 'session.open', who.actor, { session: out.id });
    return reply.code(201).send({ session_token: out.token, expires_at: out.expires_at });
  });

  app.delete('/api/v1/auth/session', async (req, reply) => {
    const who = req.identity!;
    if (who.via !== 'session') throw new HttpError(400, 'bad_request', 'not signed in with a session token');
    const token = String(req.headers.authorization).split(/\s+/)[1];
    await s.tokens.revokeByValue(token);
    s.auth.forget(token);
    return reply.code(204).send();
  });
}
