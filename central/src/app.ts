import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { frameworkError } from './http/errors.js';
import access from './plugins/access.js';
import artifacts from './plugins/artifacts.js';
import auth from './plugins/auth.js';
import core from './plugins/core.js';
import dashboard from './plugins/dashboard.js';
import database from './plugins/database.js';
import events from './plugins/events.js';
import forwarding from './plugins/forwarding.js';
import http from './plugins/http.js';
import policy from './plugins/policy.js';
import adminRoutes from './routes/admin.js';
import artifactRoutes from './routes/artifacts.js';
import labRoutes from './routes/lab.js';
import sessionRoutes from './routes/session.js';

// The service: one plugin per concern, each registered after what it depends on. Access
// control comes before every route, so no route can be registered without it.

export interface BuildOptions {
  /** A database already open (tests); otherwise config.db is opened. */
  db?: Database;
  /** Called before the routes are registered (tests add hooks here). */
  beforeRoutes?: (app: FastifyInstance) => void | Promise<void>;
}

export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    // Per-request lines only at debug: at thousands of requests a second they would be the load.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' }),
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    return503OnClosing: true,
    // Router errors (a malformed path: FST_ERR_BAD_URL) in the API's error shape.
    frameworkErrors: frameworkError
  });
  await app.register(core, { config });
  await app.register(http);
  await app.register(database, { db: opts.db });
  await app.register(auth);
  await app.register(access);
  await app.register(policy);
  await app.register(forwarding);
  await app.register(events);
  await app.register(artifacts);
  await opts.beforeRoutes?.(app);
  await app.register(labRoutes);
  await app.register(sessionRoutes);
  await app.register(adminRoutes);
  await app.register(artifactRoutes);
  await app.register(dashboard);
  return app;
}
