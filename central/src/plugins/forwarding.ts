import fp from 'fastify-plugin';
import { Forwarder } from '../forward/forwarder.js';
import { otlpSink, webhookSink, type SinkTarget } from '../forward/sinks.js';
import './types.js';

// Forwarding to OTLP and webhook sinks through the outbox, once per event fleet-wide.
export default fp(
  async app => {
    const { config } = app;
    const sinks: SinkTarget[] = [];
    if (config.otlp) {
      sinks.push(otlpSink(config.otlp.url, config.otlp.minSeverity, config.otlp.headers));
    }
    if (config.webhook) {
      sinks.push(
        webhookSink(config.webhook.url, config.webhook.minSeverity, config.webhook.secret)
      );
    }
    const forwarder = sinks.length
      ? new Forwarder(app.db, sinks, app.log, {
          intervalMs: config.forwardIntervalMs,
          batch: 100,
          leaseMs: 30_000,
          maxAttempts: 20
        })
      : undefined;
    app.decorate('sinks', sinks);
    app.decorate('forwarder', forwarder);
    app.addHook('onReady', async () => forwarder?.start());
    app.addHook('preClose', async () => forwarder?.stop());
  },
  { name: 'warden-forwarding', dependencies: ['warden-db'] }
);
