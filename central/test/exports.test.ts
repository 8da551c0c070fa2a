import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import { call, makeEvent, startCentral, type Central } from './helpers.js';

// Exports (OCSF, SARIF) and forwarding to real local HTTP receivers.

const AjvDraft04 = AjvDraft04Module.default;

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  raw: string;
  at: number;
}

/** A local HTTP receiver whose answers are scripted per request. */
function receiver(
  script: (
    n: number,
    req: Received
  ) => { status: number; headers?: Record<string, string>; body?: string }
) {
  const got: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => {
      const r: Received = {
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(raw || 'null'),
        raw,
        at: Date.now()
      };
      got.push(r);
      const a = script(got.length, r);
      res
        .writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) })
        .end(a.body ?? '{}');
    });
  });
  return {
    got,
    server,
    async start() {
      await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
      return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    }
  };
}

async function until(cond: () => boolean, ms = 10_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) {
      throw new Error('timed out waiting');
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('exports', () => {
  let c: Central;
  before(async () => {
    c = await startCentral('sqlite');
    await call(c, 'POST', '/api/v1/events', c.lab, {
      events: [
        makeEvent({
          event_id: 'static-one-1',
          location: { path: 'nb/My Notebook.ipynb', cell_id: 'cell-9', line: 4, column: 2 },
          first_seen: '2026-11-25T09:00:00Z',
          last_seen: '2026-11-25T10:00:00Z',
          count: 3
        }),
        makeEvent({
          event_id: 'runtime-blk-1',
          kind: 'runtime',
          rule_id: 'pickle-blocked-global',
          severity: 'critical',
          action: 'blocked',
          evidence: { global: 'os.system' }
        }),
        makeEvent({
          event_id: 'static-low-1',
          severity: 'low',
          rule_id: 'unknown-future-rule',
          location: { path: 'a.py', line: 1 }
        })
      ]
    });
  });
  after(async () => c?.close());

  it('writes one OCSF Detection Finding per line with the required fields', async () => {
    const r = await call(c, 'GET', '/api/v1/admin/export/ocsf', c.admin);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /application\/x-ndjson/);
    const lines = r.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    assert.equal(lines.length, 3);
    for (const f of lines) {
      assert.equal(f.class_uid, 2004);
      assert.equal(f.category_uid, 2);
      assert.equal(f.activity_id, 1);
      assert.equal(f.type_uid, f.class_uid * 100 + f.activity_id);
      assert.equal(typeof f.time, 'number');
      assert.ok(f.severity_id >= 1 && f.severity_id <= 5);
      assert.equal(typeof f.metadata.version, 'string');
      assert.equal(f.metadata.product.name, 'Jupyter Warden');
      assert.equal(typeof f.finding_info.uid, 'string');
      assert.equal(typeof f.finding_info.title, 'string');
    }
    const blocked = lines.find(f => f.metadata.uid === 'runtime-blk-1');
    assert.equal(blocked.severity_id, 5);
    assert.equal(blocked.action_id, 2);
    assert.equal(blocked.disposition_id, 2);
    assert.equal(blocked.finding_info.analytic.uid, 'pickle-blocked-global');
    assert.equal(blocked.actor.user.name, 'alice');
    assert.ok(blocked.remediation.desc.length > 10, 'remediation comes from the rule catalog');
    const first = lines.find(f => f.metadata.uid === 'static-one-1');
    assert.equal(first.finding_info.first_seen_time, Date.parse('2026-11-25T09:00:00Z'));
    assert.equal(first.count, 3);
    const onlyCritical = await call(
      c,
      'GET',
      '/api/v1/admin/export/ocsf?min_severity=critical',
      c.admin
    );
    assert.equal(onlyCritical.text.trim().split('\n').length, 1);
  });

  it('writes static findings as SARIF 2.1.0 that validates against the SARIF schema', async () => {
    const r = await call(c, 'GET', '/api/v1/admin/export/sarif', c.admin);
    assert.equal(r.status, 200);
    const log: any = r.json;
    const schema = JSON.parse(
      readFileSync(new URL('../../test/fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')
    );
    const ajv = new AjvDraft04({ strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(r.json), JSON.stringify(validate.errors?.slice(0, 3)));
    const results = log.runs[0].results;
    assert.equal(results.length, 2, 'runtime events are not static findings');
    const nb = results.find((x: any) => x.properties.event_id === 'static-one-1');
    assert.equal(nb.level, 'error');
    assert.equal(nb.locations[0].physicalLocation.artifactLocation.uri, 'nb/My%20Notebook.ipynb');
    assert.deepEqual(nb.locations[0].physicalLocation.region, { startLine: 4, startColumn: 2 });
    assert.deepEqual(nb.locations[0].logicalLocations[0], {
      kind: 'notebookCell',
      name: 'cell-9',
      fullyQualifiedName: 'nb/My Notebook.ipynb#cell=cell-9'
    });
    const rules = log.runs[0].tool.driver.rules;
    assert.equal(rules[nb.ruleIndex].id, 'torch-load-unsafe');
    assert.ok(
      rules.some((x: any) => x.id === 'unknown-future-rule'),
      'unknown rules still export'
    );
  });
});

describe('forwarding', () => {
  it('sends events from the min severity to OTLP, retries 503 after Retry-After', async () => {
    const otlp = receiver(n =>
      n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200, body: '{}' }
    );
    const base = await otlp.start();
    const c = await startCentral(
      'sqlite',
      { 'otlp-url': base, 'otlp-min-severity': 'high' },
      cfg => (cfg.forwardIntervalMs = 100)
    );
    try {
      const low = makeEvent({ severity: 'low' });
      const high = makeEvent({ severity: 'high' });
      const crit = makeEvent({
        severity: 'critical',
        kind: 'runtime',
        rule_id: 'pickle-blocked-global',
        action: 'blocked'
      });
      await call(c, 'POST', '/api/v1/events', c.lab, { events: [low, high, crit] });
      await until(() => otlp.got.length >= 2);
      const [first, second] = otlp.got;
      assert.equal(first.path, '/v1/logs');
      assert.ok(
        second.at - first.at >= 950,
        `Retry-After: 1 honoured (waited ${second.at - first.at} ms)`
      );
      const records = second.body.resourceLogs[0].scopeLogs[0].logRecords;
      const ids = records
        .map(
          (r: any) => r.attributes.find((a: any) => a.key === 'warden.event_id').value.stringValue
        )
        .sort();
      assert.deepEqual(
        ids,
        [high.event_id, crit.event_id].sort(),
        'low severity filtered out; retried batch identical'
      );
      assert.deepEqual(first.body, second.body);
      const critRec = records.find((r: any) => r.severityText === 'FATAL');
      assert.equal(critRec.severityNumber, 21);
      assert.equal(critRec.timeUnixNano, String(BigInt(Date.parse(crit.time)) * 1_000_000n));
      await until(() => c.app.forwarder!.stats.otlp.delivered === 2);
      assert.equal(c.app.forwarder!.stats.otlp.retried, 2);
      const left = await c.app.db.query('SELECT COUNT(*) AS n FROM outbox');
      assert.equal(Number(left[0].n), 0);
    } finally {
      await c.close();
      otlp.server.close();
    }
  });

  it('does not retry a partial success or a 400, and stops only on those', async () => {
    const otlp = receiver(n =>
      n === 1
        ? {
            status: 200,
            body: JSON.stringify({
              partialSuccess: { rejectedLogRecords: 1, errorMessage: 'too old' }
            })
          }
        : { status: 400, body: '{"message":"bad"}' }
    );
    const base = await otlp.start();
    const c = await startCentral(
      'sqlite',
      { 'otlp-url': base + '/v1/logs', 'otlp-min-severity': 'info' },
      cfg => (cfg.forwardIntervalMs = 100)
    );
    try {
      await call(c, 'POST', '/api/v1/events', c.lab, { events: [makeEvent()] });
      await until(() => c.app.forwarder!.stats.otlp.partial === 1);
      await call(c, 'POST', '/api/v1/events', c.lab, { events: [makeEvent()] });
      await until(() => c.app.forwarder!.stats.otlp.dropped === 1);
      await new Promise(r => setTimeout(r, 400));
      assert.equal(otlp.got.length, 2, 'neither was sent again');
      assert.equal(c.app.forwarder!.stats.otlp.retried, 0);
    } finally {
      await c.close();
      otlp.server.close();
    }
  });

  it('posts to a webhook with an HMAC signature, retries a 502', async () => {
    const hook = receiver(n => (n === 1 ? { status: 502 } : { status: 204 }));
    const base = await hook.start();
    const c = await startCentral(
      'postgres',
      {
        'webhook-url': base + '/hook',
        'webhook-min-severity': 'critical',
        'webhook-secret': 's3cret'
      },
      cfg => (cfg.forwardIntervalMs = 100)
    );
    try {
      const crit = makeEvent({ severity: 'critical' });
      await call(c, 'POST', '/api/v1/events', c.lab, {
        events: [makeEvent({ severity: 'high' }), crit]
      });
      await until(() => c.app.forwarder!.stats.webhook.delivered === 1, 15_000);
      const last = hook.got[hook.got.length - 1];
      assert.equal(last.path, '/hook');
      assert.deepEqual(
        last.body.events.map((e: any) => e.event_id),
        [crit.event_id]
      );
      assert.equal(last.body.events[0].lab, 'lab-a');
      assert.equal(
        last.headers['x-warden-signature'],
        'sha256=' + createHmac('sha256', 's3cret').update(last.raw).digest('hex')
      );
      assert.equal(hook.got.length, 2, 'the 502 was retried once');
    } finally {
      await c.close();
      hook.server.close();
    }
  });
});
