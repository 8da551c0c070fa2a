import type { SignedDecisions } from '../artifacts/decisions.js';
import type { ArtifactRetention } from '../artifacts/retention.js';
import type { ArtifactStore } from '../artifacts/store.js';
import type { Access } from '../auth/access.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { TokenStore } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Contracts } from '../contracts.js';
import type { Database } from '../db/database.js';
import type { EventRate } from '../events/rate.js';
import type { Retention } from '../events/retention.js';
import type { EventStore } from '../events/store.js';
import type { Forwarder } from '../forward/forwarder.js';
import type { SinkTarget } from '../forward/sinks.js';
import type { Identity } from '../identity.js';
import type { LabInventory } from '../inventory/labs.js';
import type { PackageInventory } from '../inventory/packages.js';
import type { PolicyChanges } from '../policy/changes.js';
import type { Keyring } from '../policy/keyring.js';
import type { PolicyStore } from '../policy/store.js';

// What each plugin decorates the instance (and requests) with, typed once.

export interface RouteEntry {
  method: string;
  url: string;
  auth: Access | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    contracts: Contracts;
    db: Database;
    tokens: TokenStore;
    auth: Authenticator;
    routeTable: RouteEntry[];
    keyring: Keyring;
    policies: PolicyStore;
    policyChanges: PolicyChanges;
    sinks: SinkTarget[];
    forwarder: Forwarder | undefined;
    events: EventStore;
    labs: LabInventory;
    eventRate: EventRate;
    retention: Retention;
    artifacts: ArtifactStore;
    signedDecisions: SignedDecisions;
    artifactRetention: ArtifactRetention;
    packages: PackageInventory;
  }
  interface FastifyRequest {
    identity?: Identity;
    authError?: { status: number; message: string; retryAfter?: number };
  }
  interface FastifyContextConfig {
    /** Who may call the route; required on every route (see auth/access.ts). */
    auth?: Access;
    /** A body field whose items the handler checks one by one (not refused whole). */
    checkedApart?: string;
  }
}
