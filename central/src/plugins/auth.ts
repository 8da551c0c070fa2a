import fp from 'fastify-plugin';
import { createAuthenticator } from '../auth/authenticate.js';
import { HubClient } from '../auth/hub.js';
import { TokenStore } from '../auth/tokens.js';
import './types.js';

// Credentials: the token store and the authenticator (tokens, JupyterHub).
export default fp(
  async app => {
    const { config } = app;
    const tokens = new TokenStore(app.db);
    const hub = config.hubUrl ? new HubClient(config.hubUrl, config.hubCacheMs) : undefined;
    app.decorate('tokens', tokens);
    app.decorate(
      'auth',
      createAuthenticator(tokens, hub, config.hubAdminGroups, config.tokenCacheMs)
    );
  },
  { name: 'warden-auth', dependencies: ['warden-db'] }
);
