import type { Authenticator } from './auth/authenticate.js';
import type { TokenStore } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Contracts } from './contracts.js';
import type { Database } from './db/database.js';
import type { EventStore } from './events/store.js';
import type { Forwarder } from './forward/forwarder.js';
import type { SinkTarget } from './forward/sinks.js';
import type { LabInventory } from './inventory/labs.js';
import type { Keyring } from './policy/keyring.js';
import type { PolicyStore } from './policy/store.js';

/** Everything a route needs, built once by createServices(). */
export interface Services {
  config: Config;
  contracts: Contracts;
  db: Database;
  tokens: TokenStore;
  auth: Authenticator;
  policies: PolicyStore;
  events: EventStore;
  labs: LabInventory;
  keyring: Keyring;
  sinks: SinkTarget[];
  forwarder: Forwarder | undefined;
  longPollStepMs: number;
}
