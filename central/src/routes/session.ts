import fp from 'fastify-plugin';
import { recordAudit } from '../audit.js';
import '../plugins/types.js';

// Dashboard sign-in: an admin credential is exchanged for a short-lived session token.

export default fp(
  async app => {
    app.post('/api/v1/auth/session', { config: { auth: 'admin' } }, async (req, reply) => {
      const who = req.identity!;
      const out = await app.tokens.issue({
        kind: 'session',
        name: who.actor.slice(0, 100),
        user: who.user,
        groups: who.groups,
        createdBy: who.actor,
        ttlMs: app.config.sessionTtlMs
      });
      await recordAudit(app.db, who.actor, 'session.open', who.actor, { session: out.id });
      return reply.code(201).send({ session_token: out.token, expires_at: out.expires_at });
    });

    app.delete('/api/v1/auth/session', { config: { auth: 'session' } }, async (req, reply) => {
      const token = String(req.headers.authorization).split(/\s+/)[1];
      await app.tokens.revokeByValue(token);
      app.auth.forget(token);
      return reply.code(204).send();
    });
  },
  { name: 'warden-session-routes', encapsulate: true, dependencies: ['warden-access'] }
);
