import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { loadContracts } from '../contracts.js';
import './types.js';

// The settings and the contracts read from schema/.
export default fp(
  async (app, opts: { config: Config }) => {
    app.decorate('config', opts.config);
    app.decorate('contracts', loadContracts(opts.config.schemaDir));
  },
  { name: 'warden-core', fastify: '5.x' }
);
