import fp from 'fastify-plugin';
import { SignedDecisions } from '../artifacts/decisions.js';
import { ArtifactStore } from '../artifacts/store.js';
import { PackageInventory } from '../inventory/packages.js';
import './types.js';

// The fleet artifact registry (issue 19) with its signed decisions, and the package
// inventory (issue 20).
export default fp(
  async app => {
    app.decorate('artifacts', new ArtifactStore(app.db));
    app.decorate('signedDecisions', new SignedDecisions(app.keyring));
    app.decorate('packages', new PackageInventory(app.db));
  },
  { name: 'warden-artifacts', dependencies: ['warden-db', 'warden-policy'] }
);
