import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { decide, isAccess } from '../auth/access.js';
import { sendError } from '../http/errors.js';
import './types.js';

// Deny by default. Every route declares who may call it (`config.auth`); the decision is made
// on the route the router matched (req.routeOptions), so how a path is spelled cannot matter.
// Must be registered before any route.
export default fp(
  async app => {
    const { config } = app;
    const table: { method: string; route: { url: string; config?: { auth?: unknown } } }[] = [];
    app.decorate('routeTable', []);
    // Recorded now, checked at ready: a plugin's own onRoute hook (the dashboard's) may still
    // set the declaration on the same options object after this hook ran.
    app.addHook('onRoute', route => {
      for (const method of [route.method].flat()) {
        table.push({ method, route });
      }
    });
    app.addHook('onReady', async () => {
      const undeclared = table.filter(r => !isAccess(r.route.config?.auth));
      if (undeclared.length) {
        const names = undeclared.map(r => `${r.method} ${r.route.url}`).join(', ');
        throw new Error(`routes without an access declaration (config.auth): ${names}`);
      }
      app.routeTable.push(
        ...table.map(r => ({
          method: r.method,
          url: r.route.url,
          auth: r.route.config?.auth as never
        }))
      );
    });

    const accessOf = (req: { routeOptions: { config: { auth?: unknown } }; is404: boolean }) =>
      req.is404 ? 'not-found' : req.routeOptions.config.auth;

    // 1. Who is calling (no rejection yet, so failed attempts are still rate limited).
    app.addHook('onRequest', async req => {
      const access = accessOf(req);
      if (access === 'public' || access === 'not-found') {
        return;
      }
      const r = await app.auth.authenticate(req.headers.authorization);
      if ('identity' in r) {
        req.identity = r.identity;
      } else {
        req.authError = { status: r.error === 'unavailable' ? 503 : 401, message: r.message };
      }
    });

    // 2. Rate limit per credential, or per address without one.
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: 60_000,
      max: async req =>
        req.identity || accessOf(req) === 'public' ? config.rateLimit : config.unauthRateLimit,
      keyGenerator: req => req.identity?.key ?? `ip:${req.ip}`,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: 'rate_limited',
        message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`
      })
    });

    // 3. Refuse before any body is read: no credential, the wrong role, or no declaration.
    app.addHook('preParsing', async (req, reply) => {
      const access = accessOf(req);
      if (access === 'not-found') {
        return;
      }
      if (!isAccess(access)) {
        return sendError(reply, 403, 'this route declares no access');
      }
      if (access !== 'public' && req.authError) {
        return sendError(reply, req.authError.status, req.authError.message);
      }
      const d = decide(access, req.identity);
      if (!d.ok) {
        return sendError(reply, d.status, d.message);
      }
    });

    // 4. Belt and braces: no handler runs without the identity its route asks for.
    app.addHook('preHandler', async (req, reply) => {
      const access = accessOf(req);
      if (access === 'not-found') {
        return;
      }
      if (!isAccess(access) || !decide(access, req.identity).ok) {
        return sendError(reply, 403, 'access refused');
      }
    });
  },
  { name: 'warden-access', dependencies: ['warden-auth', 'warden-http'] }
);
