import fp from 'fastify-plugin';
import { severityRank } from '../contracts.js';
import { EventRate } from '../events/rate.js';
import { Retention } from '../events/retention.js';
import { EventStore } from '../events/store.js';
import { LabInventory } from '../inventory/labs.js';
import './types.js';

// Stored events (with their outbox rows), the lab inventory, the per-credential event rate,
// and retention by age and size.
export default fp(
  async app => {
    const { config } = app;
    const outboxSinks = app.sinks.map(k => ({
      name: k.name,
      minSeverityRank: severityRank(k.minSeverity)
    }));
    app.decorate('events', new EventStore(app.db, outboxSinks));
    app.decorate('labs', new LabInventory(app.db));
    app.decorate('eventRate', new EventRate(config.eventRate));
    const retention = new Retention(
      app.db,
      { maxAgeMs: config.retentionMs, maxBytes: config.retentionMaxBytes },
      e => app.log.warn({ err: e.message }, 'retention pass failed')
    );
    app.decorate('retention', retention);
    app.addHook('onReady', async () => retention.start(config.retentionIntervalMs));
    app.addHook('preClose', async () => retention.stop());
  },
  { name: 'warden-events', dependencies: ['warden-db', 'warden-forwarding'] }
);
