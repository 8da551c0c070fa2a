import fp from 'fastify-plugin';
import { SignedDecisions } from '../artifacts/decisions.js';
import { ArtifactRetention } from '../artifacts/retention.js';
import { ArtifactStore } from '../artifacts/store.js';
import { PackageInventory } from '../inventory/packages.js';
import './types.js';

// The fleet artifact registry (issue 19) with its signed decisions, and the package
// inventory (issue 20); both bounded (per-lab row caps, age-based retention).
export default fp(
  async app => {
    app.decorate('artifacts', new ArtifactStore(app.db, app.config.artifactRowsPerLab));
    app.decorate('signedDecisions', new SignedDecisions(app.keyring));
    app.decorate('packages', new PackageInventory(app.db));
    // Registry rows and package snapshots unseen for the retention age go (config).
    const retention = new ArtifactRetention(app.db, app.config.artifactRetentionMs, e =>
      app.log.warn({ err: e.message }, 'artifact retention pass failed')
    );
    app.decorate('artifactRetention', retention);
    app.addHook('onReady', async () => retention.start(app.config.retentionIntervalMs));
    app.addHook('preClose', async () => retention.stop());
  },
  { name: 'warden-artifacts', dependencies: ['warden-db', 'warden-policy'] }
);
