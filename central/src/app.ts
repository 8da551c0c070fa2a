import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { createAuthenticator } from './auth/authenticate.js';
import { HubClient } from './auth/hub.js';
import { TokenStore } from './auth/tokens.js';
import type { Config } from './config.js';
import { loadContracts, severityRank } from './contracts.js';
import { type Database, openDatabase } from './db/database.js';
import { migrate } from './db/migrations.js';
import { EventStore } from './events/store.js';
import { Forwarder } from './forward/forwarder.js';
import { otlpSink, webhookSink, type SinkTarget } from './forward/sinks.js';
import { errorHandler, sendError } from './http/errors.js';
import type { Identity } from './identity.js';
import { LabInventory } from './inventory/labs.js';
import { Keyring } from './policy/keyring.js';
import { PolicyStore } from './policy/store.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerLabRoutes } from './routes/lab.js';
import { registerSessionRoutes } from './routes/session.js';
import type { Services } from './services.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
    authError?: { status: number; message: string };
  }
}

function findPublicDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'public', 'index.html'))) return join(dir, 'public');
    const up = dirname(dir);
    if (up === dir) throw new Error('dashboard files (public/index.html) not found');
    dir = up;
  }
}

export async function createServices(config: Config, db?: Database): Promise<Services> {
  const contracts = loadContracts(config.schemaDir);
  const database = db ?? (await openDatabase(config.db));
  await migrate(database);
  const tokens = new TokenStore(database);
  const hub = config.hubUrl ? new HubClient(config.hubUrl, config.hubCacheMs) : undefined;
  const sinks: SinkTarget[] = [];
  if (config.otlp) sinks.push(otlpSink(config.otlp.url, config.otlp.minSeverity, config.otlp.headers));
  if (config.webhook) sinks.push(webhookSink(config.webhook.url, config.webhook.minSeverity, config.webhook.secret));
  return {
    config,
    contracts,
    db: database,
    tokens,
    auth: createAuthenticator(tokens, hub, config.hubAdminGroups, config.tokenCacheMs),
    policies: new PolicyStore(database, config.policyCacheMs),
    events: new EventStore(
      database,
      sinks.map((k) => ({ name: k.name, minSeverityRank: severityRank(k.minSeverity) })),
    ),
    sinks,
    labs: new LabInventory(database),
    keyring: new Keyring(config.keyDir),
    forwarder: undefined,
    longPollStepMs: 1000,
  };
}

export async function buildApp(s: Services): Promise<FastifyInstance> {
  const { config } = s;
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    // Per-request lines only at debug: at thousands of requests a second they would be the load.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' }),
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    return503OnClosing: true,
  });
  if (s.sinks.length) s.forwarder = new Forwarder(s.db, s.sinks, app.log, { intervalMs: config.forwardIntervalMs, batch: 100, leaseMs: 30_000, maxAttempts: 20 });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `no route for ${req.method} ${req.url.split('?')[0].slice(0, 200)}`));

  // 1. Who is calling (no rejection yet, so failed attempts are still rate limited).
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const r = await s.auth.authenticate(req.headers.authorization);
    if ('identity' in r) req.identity = r.identity;
    else req.authError = { status: r.error === 'unavailable' ? 503 : 401, message: r.message };
  });

  // 2. Rate limit per credential, or per IP without one.
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: 60_000,
    max: async (req) => (req.identity || !req.url.startsWith('/api/') ? config.rateLimit : config.unauthRateLimit),
    keyGenerator: (req) => req.identity?.key ?? `ip:${req.ip}`,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, error: 'rate_limited', message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}` }),
  });

  // 3. Refuse before any body is read: no credential, or the wrong role.
  app.addHook('preParsing', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    if (req.authError) return sendError(reply, req.authError.status, req.authError.message);
    if (req.url.startsWith('/api/v1/admin/') && req.identity?.role !== 'admin') return sendError(reply, 403, 'admin role required');
  });

  registerLabRoutes(app, s);
  registerSessionRoutes(app, s);
  registerAdminRoutes(app, s);
  await app.register(fastifyStatic, { root: findPublicDir(), prefix: '/', index: ['index.html'] });

  // Responses finished after close() began ask the client to drop the connection; otherwise
  // the kept-alive socket would hold the shutdown open for the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  // The dashboard's own pages: no inline script or style, no framing, no sniffing.
  app.addHook('onSend', async (req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    if (!req.url.startsWith('/api/')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
      reply.header('x-frame-options', 'DENY');
    }
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  app.addHook('onReady', async () => s.forwarder?.start());
  app.addHook('onClose', async () => {
    s.forwarder?.stop();
    await s.db.close();
  });
  return app;
}
