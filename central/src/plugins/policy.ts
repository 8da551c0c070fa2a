import fp from 'fastify-plugin';
import { PolicyChanges } from '../policy/changes.js';
import { Keyring } from '../policy/keyring.js';
import { PolicyStore } from '../policy/store.js';
import './types.js';

// Signed fleet policy: the keyring (shared key folder), the named policies, and the change
// signal that wakes long polls on every replica.
export default fp(
  async app => {
    const { config } = app;
    const changes: PolicyChanges = new PolicyChanges(() => store.invalidate());
    const store: PolicyStore = new PolicyStore(app.db, config.policyCacheMs, () =>
      changes.notify()
    );
    app.decorate('keyring', new Keyring(config.keyDir));
    app.decorate('policies', store);
    app.decorate('policyChanges', changes);
    app.addHook('onReady', async () => {
      await changes.listen(app.db).catch(e => {
        // Long polls fall back to re-reading the head every step.
        app.log.warn({ err: (e as Error).message }, 'policy change notifications unavailable');
      });
    });
    app.addHook('preClose', async () => changes.close());
  },
  { name: 'warden-policy', dependencies: ['warden-db'] }
);
