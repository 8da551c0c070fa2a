import fp from 'fastify-plugin';
import { type Database, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrations.js';
import './types.js';

// The database, migrated before anything uses it; closed last.
export default fp(
  async (app, opts: { db?: Database }) => {
    const db = opts.db ?? (await openDatabase(app.config.db));
    await migrate(db);
    app.decorate('db', db);
    app.addHook('onClose', async () => db.close());
  },
  { name: 'warden-db', dependencies: ['warden-core'] }
);
