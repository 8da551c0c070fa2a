import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { call, DIALECTS, issueLab, startCentral, type Central } from './helpers.js';

// The fleet artifact registry (issue 19) and the package inventory (issue 20), through the
// real HTTP API on SQLite and on PostgreSQL.

const sha = (c: string) => c.repeat(64);
const X = sha('a');
const Y = sha('b');
const Z = sha('c');
const COMMIT = '1'.repeat(40);

function report(over: Record<string, unknown> = {}) {
  return { sha256: X, size: 1234, name: 'model.pt', kind: 'torch', ...over };
}

async function count(c: Central, table: string) {
  return Number((await c.app.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
}

/** The signed envelope's payload, after checking its signature with a key of /api/v1/keys. */
async function openEnvelope(c: Central, env: any) {
  const keys = (await call(c, 'GET', '/api/v1/keys', c.lab)).json.keys;
  const key = keys.find((k: any) => k.key_id === env.key_id);
  assert.ok(key, 'signed by a listed key');
  const payload = Buffer.from(env.payload, 'base64url');
  assert.equal(env.alg, 'Ed25519');
  assert.ok(
    verify(
      null,
      payload,
      createPublicKey(key.public_key_pem),
      Buffer.from(env.signature, 'base64url')
    ),
    'the signature verifies'
  );
  return JSON.parse(payload.toString('utf8'));
}

for (const dialect of DIALECTS) {
  describe(`artifact registry on ${dialect}`, () => {
    let c: Central;
    let labB: string;
    before(async () => {
      c = await startCentral(dialect);
      labB = await issueLab(c);
    });
    after(async () => c?.close());

    it('a report of one lab answers the lookup of another; unknown files are absent', async () => {
      const r = await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, {
        reports: [
          report({
            scan: { verdict: 'safe', scanner_version: '1.4.0', rules: [] },
            signature: { status: 'valid', signer: 'ops@example.org' },
            source: {
              hub: { repo: 'org/model', revision: 'main', commit: COMMIT, filename: 'model.pt' },
              kernel: 'k-1',
              cell: 'cell-dl',
              at: '2026-11-30T10:00:00Z'
            },
            load: { decision: 'allowed', at: '2026-11-30T10:01:00Z', kernel: 'k-1', cell: 'c-load' }
          })
        ]
      });
      assert.equal(r.status, 202, r.text);
      assert.deepEqual(r.json, { accepted: 1, dropped: 0 });
      const l = await call(c, 'POST', '/api/v1/artifacts/lookup', labB, { sha256: [X, Z] });
      assert.equal(l.status, 200, l.text);
      assert.deepEqual(Object.keys(l.json.artifacts), [X]);
      const v = l.json.artifacts[X];
      assert.equal(v.sha256, X);
      assert.equal(v.fleet_decision, null);
      assert.equal(v.scan.verdict, 'safe');
      assert.equal(v.scan.scanner_version, '1.4.0');
      assert.ok(Date.parse(v.scan.at) > Date.now() - 60_000);
      assert.deepEqual(v.signature, { status: 'valid', signer: 'ops@example.org' });
      assert.ok(Date.parse(v.first_seen) > Date.now() - 60_000);
      // The answer validates against the contract's own schema.
      const ok = await validateLookupAnswer(c, l.json);
      assert.deepEqual(ok, []);
    });

    it('records who from the credential, never from the body', async () => {
      const withLab = await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, {
        reports: [report({ sha256: Z, lab: 'lab-evil', user: 'mallory' })]
      });
      assert.equal(withLab.status, 400, 'a body naming who is refused');
      const r = await call(c, 'POST', '/api/v1/artifacts/reports', labB, {
        reports: [
          report({ load: { decision: 'blocked', at: '2026-11-30T10:02:00Z', kernel: 'k-9' } })
        ]
      });
      assert.equal(r.status, 202, r.text);
      const list = await call(c, 'GET', `/api/v1/admin/artifacts?sha256=${X}`, c.admin);
      assert.equal(list.status, 200, list.text);
      const [a] = list.json.artifacts;
      const loads = a.loads.map((l: any) => [l.lab, l.user, l.kernel, l.cell, l.decision]);
      assert.deepEqual(loads.sort(), [
        ['lab-a', 'alice', 'k-1', 'c-load', 'allowed'],
        ['lab-b', 'bob', 'k-9', null, 'blocked']
      ]);
      assert.equal(await count(c, "artifacts WHERE sha256 = '" + Z + "'"), 0);
    });

    it('refuses directory names, bad hashes and big batches, storing nothing', async () => {
      const before = await count(c, 'artifact_loads');
      const bad = [
        { reports: [report({ name: 'home/alice/model.pt', sha256: Y })] },
        { reports: [report({ name: '..\\secret.pt', sha256: Y })] },
        { reports: [report({ sha256: 'A'.repeat(64) })] },
        { reports: [] },
        {
          reports: Array.from({ length: 201 }, (_, i) =>
            report({ sha256: i.toString(16).padStart(64, '0') })
          )
        },
        {
          reports: [report({ sha256: Y, load: { decision: 'allowed', at: 'x', kernel: 'k' } })]
        }
      ];
      for (const body of bad) {
        const r = await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, body);
        assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
        assert.equal(r.json.error, 'bad_request');
      }
      assert.equal(await count(c, `artifacts WHERE sha256 = '${Y}'`), 0);
      assert.equal(await count(c, 'artifact_loads'), before);
      const big = await call(c, 'POST', '/api/v1/artifacts/lookup', c.lab, {
        sha256: Array.from({ length: 501 }, () => X)
      });
      assert.equal(big.status, 400);
    });

    it('keeps the worst scan verdict: a later "safe" does not clear "dangerous"', async () => {
      const post = (token: string, verdict: string, version: string) =>
        call(c, 'POST', '/api/v1/artifacts/reports', token, {
          reports: [report({ sha256: Y, scan: { verdict, scanner_version: version } })]
        });
      assert.equal((await post(c.lab, 'dangerous', '1.4.0')).status, 202);
      assert.equal((await post(labB, 'safe', '1.4.0')).status, 202);
      assert.equal((await post(labB, 'error', '1.5.0')).status, 202);
      const l = await call(c, 'POST', '/api/v1/artifacts/lookup', labB, { sha256: [Y] });
      assert.equal(l.json.artifacts[Y].scan.verdict, 'dangerous');
      assert.equal(l.json.artifacts[Y].scan.scanner_version, '1.4.0');
    });

    it('an admin decision is delivered signed, with a new revision, and audit-logged', async () => {
      const first = await call(c, 'GET', '/api/v1/artifacts/decisions', c.lab);
      assert.equal(first.status, 200, first.text);
      const p0 = await openEnvelope(c, first.json);
      assert.equal(p0.kind, 'artifact-decisions');
      const put = await call(c, 'PUT', `/api/v1/admin/artifacts/${X}/decision`, c.admin, {
        decision: 'banned',
        note: 'payload found by IR'
      });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.revision, p0.revision + 1);
      const res = await call(c, 'GET', '/api/v1/artifacts/decisions', labB);
      const p1 = await openEnvelope(c, res.json);
      assert.equal(p1.revision, p0.revision + 1);
      assert.deepEqual(
        p1.artifacts.map((a: any) => [a.sha256, a.decision, a.note]),
        [[X, 'banned', 'payload found by IR']]
      );
      assert.deepEqual(await validateDecisions(c, p1), []);
      // Nothing changed since: no body.
      const same = await call(c, 'GET', `/api/v1/artifacts/decisions?since=${p1.revision}`, c.lab);
      assert.equal(same.status, 304);
      const etag = res.headers.get('etag')!;
      const inm = await call(c, 'GET', '/api/v1/artifacts/decisions', c.lab, undefined, {
        'if-none-match': etag
      });
      assert.equal(inm.status, 304);
      const older = await call(c, 'GET', `/api/v1/artifacts/decisions?since=${p0.revision}`, c.lab);
      assert.equal(older.status, 200);
      const l = await call(c, 'POST', '/api/v1/artifacts/lookup', c.lab, { sha256: [X] });
      assert.equal(l.json.artifacts[X].fleet_decision, 'banned');
      const audit = await call(c, 'GET', '/api/v1/admin/audit', c.admin);
      const entry = audit.json.entries.find((e: any) => e.action === 'artifact.decision');
      assert.ok(entry, 'audit entry');
      assert.equal(entry.target, X);
      assert.equal(entry.detail.decision, 'banned');
      assert.equal(entry.detail.revision, p1.revision);
      // A file no lab reported yet can be trusted ahead; null clears a decision.
      const ahead = await call(c, 'PUT', `/api/v1/admin/artifacts/${Z}/decision`, c.admin, {
        decision: 'trusted',
        note: ''
      });
      assert.equal(ahead.status, 200, ahead.text);
      const clear = await call(c, 'PUT', `/api/v1/admin/artifacts/${X}/decision`, c.admin, {
        decision: null,
        note: 'false positive'
      });
      assert.equal(clear.status, 200);
      const p3 = await openEnvelope(
        c,
        (await call(c, 'GET', '/api/v1/artifacts/decisions', c.lab)).json
      );
      assert.equal(p3.revision, p1.revision + 2);
      assert.deepEqual(
        p3.artifacts.map((a: any) => [a.sha256, a.decision]),
        [[Z, 'trusted']]
      );
      for (const body of [{ decision: 'maybe', note: '' }, { decision: 'banned' }, {}]) {
        const r = await call(c, 'PUT', `/api/v1/admin/artifacts/${X}/decision`, c.admin, body);
        assert.equal(r.status, 400, JSON.stringify(body));
      }
      const upper = await call(
        c,
        'PUT',
        `/api/v1/admin/artifacts/${X.toUpperCase()}/decision`,
        c.admin,
        { decision: 'banned', note: '' }
      );
      assert.equal(upper.status, 400);
    });

    it('lists artifacts with filters, the chain source -> file -> loads, and pages', async () => {
      const get = async (q: string) => {
        const r = await call(c, 'GET', `/api/v1/admin/artifacts?${q}`, c.admin);
        assert.equal(r.status, 200, `${q}: ${r.text}`);
        return r.json;
      };
      const byRepo = await get('repo=org/model');
      assert.deepEqual(
        byRepo.artifacts.map((a: any) => a.sha256),
        [X]
      );
      const [a] = byRepo.artifacts;
      assert.equal(a.name, 'model.pt');
      assert.equal(a.size, 1234);
      assert.deepEqual(
        a.sources.map((s: any) => [
          s.repo,
          s.revision,
          s.commit,
          s.filename,
          s.lab,
          s.user,
          s.kernel,
          s.cell
        ]),
        [['org/model', 'main', COMMIT, 'model.pt', 'lab-a', 'alice', 'k-1', 'cell-dl']]
      );
      assert.deepEqual(
        (await get('verdict=dangerous')).artifacts.map((x: any) => x.sha256),
        [Y]
      );
      assert.deepEqual(
        (await get('decision=trusted')).artifacts.map((x: any) => x.sha256),
        [Z]
      );
      assert.deepEqual(
        (await get('verdict=none')).artifacts.map((x: any) => x.sha256),
        [Z]
      );
      const p1 = await get('limit=2');
      assert.equal(p1.artifacts.length, 2);
      assert.ok(p1.next_cursor);
      const p2 = await get(`limit=2&cursor=${p1.next_cursor}`);
      const all = [...p1.artifacts, ...p2.artifacts].map((x: any) => x.sha256).sort();
      assert.deepEqual(all, [X, Y, Z]);
      for (const q of ['decision=maybe', 'verdict=fine', 'limit=0', 'sha256=xyz', 'cursor=a']) {
        const r = await call(c, 'GET', `/api/v1/admin/artifacts?${q}`, c.admin);
        assert.equal(r.status, 400, q);
      }
    });

    it('counts concurrent reports of one file exactly (collapsed loads)', async () => {
      const W = sha('e');
      const body = (verdict: string) => ({
        reports: [
          report({
            sha256: W,
            scan: { verdict, scanner_version: '2.0.0' },
            load: { decision: 'allowed', at: new Date().toISOString(), kernel: 'k-par' }
          }),
          report({
            sha256: X,
            load: { decision: 'warned', at: new Date().toISOString(), kernel: 'k-par' }
          })
        ]
      });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(
            c,
            'POST',
            '/api/v1/artifacts/reports',
            i % 2 ? labB : c.lab,
            body(i === 7 ? 'suspicious' : 'safe')
          )
        )
      );
      assert.deepEqual(
        answers.map(a => a.status),
        answers.map(() => 202)
      );
      const rows = await c.app.db.query(
        "SELECT lab, count FROM artifact_loads WHERE sha256 = $1 AND kernel = 'k-par' ORDER BY lab",
        [W]
      );
      assert.deepEqual(
        rows.map(r => [r.lab, Number(r.count)]),
        [
          ['lab-a', 10],
          ['lab-b', 10]
        ]
      );
      const l = await call(c, 'POST', '/api/v1/artifacts/lookup', c.lab, { sha256: [W] });
      assert.equal(l.json.artifacts[W].scan.verdict, 'suspicious', 'the worst verdict stays');
    });

    it('denies by default: lab routes need a lab credential, admin routes an admin', async () => {
      const cases: [string, string, string | undefined, unknown, number | number[]][] = [
        ['POST', '/api/v1/artifacts/lookup', undefined, { sha256: [X] }, 401],
        ['POST', '/api/v1/artifacts/lookup', c.admin, { sha256: [X] }, 403],
        ['POST', '/api/v1/artifacts/reports', c.admin, { reports: [report()] }, 403],
        ['GET', '/api/v1/artifacts/decisions', undefined, undefined, 401],
        ['GET', '/api/v1/admin/artifacts', c.lab, undefined, 403],
        [
          'PUT',
          `/api/v1/admin/artifacts/${X}/decision`,
          c.lab,
          { decision: 'trusted', note: '' },
          403
        ],
        [
          'PUT',
          `/api/v1/admin/artifacts/${X}/decision`,
          undefined,
          { decision: null, note: '' },
          401
        ],
        ['GET', '/api/v1/admin/packages', c.lab, undefined, 403],
        // However the path is spelled, the matched route decides (or nothing matches).
        ['GET', '/api/v1/admin//artifacts', c.lab, undefined, [403, 404]],
        ['GET', '/api/v1/admin/artifacts/', c.lab, undefined, [403, 404]],
        ['GET', '/api/v1/admin/%61rtifacts', c.lab, undefined, [403, 404]]
      ];
      for (const [method, path, token, body, status] of cases) {
        const r = await call(c, method, path, token, body);
        assert.ok([status].flat().includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
      }
      const routes = c.app.routeTable.filter(
        r => r.method !== 'HEAD' && r.url.startsWith('/api/') && /artifacts|packages/.test(r.url)
      );
      assert.equal(routes.length, 6, routes.map(r => `${r.method} ${r.url}`).join(', '));
      for (const r of routes) {
        assert.ok(
          r.url.startsWith('/api/v1/admin/') ? r.auth === 'admin' : r.auth === 'lab',
          `${r.method} ${r.url}: ${r.auth}`
        );
      }
    });
  });

  describe(`package inventory on ${dialect}`, () => {
    let c: Central;
    before(async () => {
      c = await startCentral(dialect);
    });
    after(async () => c?.close());

    const status = (token: string, items: unknown[], truncated = false) =>
      call(c, 'POST', '/api/v1/status', token, {
        policy_revision: 1,
        packages: { truncated, items }
      });
    const pkg = (name: string, version: string, advisories: string[] = [], imported = true) => ({
      name,
      version,
      imported,
      kernels: imported ? 1 : 0,
      advisories
    });

    it('stores the last snapshot per lab and shows flagged versions', async () => {
      const r = await status(c.lab, [
        pkg('torch', '2.5.1', ['GHSA-53q9-r3pm-6pq6']),
        pkg('numpy', '2.1.0', [], false),
        pkg('torch', '2.5.1', ['PYSEC-2025-41'])
      ]);
      assert.equal(r.status, 204, r.text);
      const flagged = await call(c, 'GET', '/api/v1/admin/packages?flagged=true', c.admin);
      assert.equal(flagged.status, 200, flagged.text);
      assert.equal(flagged.json.packages.length, 1);
      const [t] = flagged.json.packages;
      assert.equal(t.name, 'torch');
      assert.equal(t.version, '2.5.1');
      assert.deepEqual(t.advisories, ['GHSA-53q9-r3pm-6pq6', 'PYSEC-2025-41']);
      assert.equal(t.labs[0].lab, 'lab-a');
      assert.equal(t.labs[0].user, 'alice');
      assert.equal(t.labs[0].kernels, 2, 'repeats are merged');
      const clean = await call(c, 'GET', '/api/v1/admin/packages?flagged=false', c.admin);
      assert.deepEqual(
        clean.json.packages.map((p: any) => [p.name, p.version, p.flagged]),
        [['numpy', '2.1.0', false]]
      );
      // A later snapshot replaces the earlier one whole.
      assert.equal((await status(c.lab, [pkg('torch', '2.6.0')], true)).status, 204);
      const byName = await call(c, 'GET', '/api/v1/admin/packages?name=Torch', c.admin);
      assert.deepEqual(
        byName.json.packages.map((p: any) => [p.name, p.version, p.flagged]),
        [['torch', '2.6.0', false]]
      );
      assert.deepEqual(
        byName.json.labs.map((l: any) => [l.lab, l.truncated]),
        [['lab-a', true]]
      );
      const none = await call(c, 'GET', '/api/v1/admin/packages?name=numpy', c.admin);
      assert.deepEqual(none.json.packages, []);
    });

    it('refuses a malformed inventory with 400 and keeps the previous snapshot', async () => {
      for (const items of [
        [pkg('Torch', '2.5.1')],
        [pkg('torch', '2.5 .1')],
        [{ ...pkg('torch', '1'), advisories: ['not an id'] }],
        [{ ...pkg('torch', '1'), path: '/home/alice/env' }],
        Array.from({ length: 2001 }, (_, i) => pkg(`p${i}`, '1'))
      ]) {
        const r = await status(c.lab, items);
        assert.equal(r.status, 400, JSON.stringify(items).slice(0, 80));
      }
      const all = await call(c, 'GET', '/api/v1/admin/packages', c.admin);
      assert.deepEqual(
        all.json.packages.map((p: any) => [p.name, p.version]),
        [['torch', '2.6.0']]
      );
    });
  });
}

async function validator(c: Central, id: string) {
  const { newAjv } = await import('../src/contracts.js');
  const ajv = newAjv(true);
  for (const s of c.app.contracts.bodySchemas) {
    ajv.addSchema(s);
  }
  return ajv.getSchema(id)!;
}

async function validateLookupAnswer(c: Central, v: unknown) {
  const f = await validator(
    c,
    'https://jupyter-warden.invalid/schema/artifact-lookup.schema.json#/$defs/lookupAnswer'
  );
  return f(v) ? [] : f.errors;
}

async function validateDecisions(c: Central, v: unknown) {
  const f = await validator(
    c,
    'https://jupyter-warden.invalid/schema/artifact-decisions.schema.json'
  );
  return f(v) ? [] : f.errors;
}
