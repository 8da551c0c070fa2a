import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHAIN_LIMIT } from '../src/artifacts/store.js';
import { LABS_PER_PACKAGE } from '../src/inventory/packages.js';
import { call, DIALECTS, issueLab, startCentral, type Central } from './helpers.js';

// Bounded storage for the artifact registry and the package inventory: per-lab row caps
// enforced by the inserts, age-based retention, and dashboard queries cut in SQL. Real HTTP,
// SQLite and PostgreSQL.

const DAY = 86_400_000;
const hex = (n: number, salt = 0) => (n * 7919 + salt).toString(16).padStart(64, '0');

function report(sha256: string, over: Record<string, unknown> = {}) {
  return { sha256, size: 10, name: 'm.pt', kind: 'torch', ...over };
}

async function count(c: Central, sql: string, params: unknown[] = []) {
  return Number((await c.app.db.query(`SELECT COUNT(*) AS n FROM ${sql}`, params))[0].n);
}

/** Runs `fn` while recording how many rows each database query naming `table` answered. */
async function rowsAnswered(c: Central, table: string, fn: () => Promise<void>): Promise<number[]> {
  const db = c.app.db;
  const original = db.query.bind(db);
  const seen: number[] = [];
  (db as any).query = async (sql: string, params?: unknown[]) => {
    const rows = await original(sql, params);
    if (sql.includes(table)) {
      seen.push(rows.length);
    }
    return rows;
  };
  try {
    await fn();
  } finally {
    (db as any).query = original;
  }
  return seen;
}

for (const dialect of DIALECTS) {
  describe(`artifact registry bounds on ${dialect}`, () => {
    let c: Central;
    let labB: string;
    before(async () => {
      c = await startCentral(dialect, {
        'artifact-rows-per-lab': '3',
        'artifact-retention-days': '30'
      });
      labB = await issueLab(c);
    });
    after(async () => c?.close());

    it('caps the rows each lab can add, per table; repeats and other labs go on', async () => {
      const shas = [1, 2, 3, 4, 5].map(n => hex(n));
      const res = await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, {
        reports: shas.map(s => report(s))
      });
      assert.equal(res.status, 202, res.text);
      assert.deepEqual(res.json, { accepted: 3, dropped: 2 });
      assert.equal(await count(c, "artifacts WHERE lab = 'lab-a'"), 3);
      // Loads of a stored file in many kernels: 3 rows, the rest dropped.
      const loads = Array.from({ length: 6 }, (_, i) =>
        report(shas[0], {
          load: { decision: 'allowed', at: new Date().toISOString(), kernel: `k${i}` }
        })
      );
      const l = await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, { reports: loads });
      assert.equal(l.status, 202);
      assert.equal(await count(c, "artifact_loads WHERE lab = 'lab-a'"), 3);
      // A repeat of a stored load still counts; a stored file is still updated.
      await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, { reports: [loads[0]] });
      const again = await c.app.db.query(
        "SELECT count FROM artifact_loads WHERE lab = 'lab-a' AND kernel = 'k0'"
      );
      assert.equal(Number(again[0].count), 2);
      // Sources likewise.
      const sources = Array.from({ length: 5 }, (_, i) =>
        report(shas[1], { source: { hub: { repo: `org/m${i}` } } })
      );
      await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, { reports: sources });
      assert.equal(await count(c, "artifact_sources WHERE lab = 'lab-a'"), 3);
      // Another lab has its own quota: lab-a's flood does not cost lab-b its reports, and it
      // can report files lab-a could not store.
      const b = await call(c, 'POST', '/api/v1/artifacts/reports', labB, {
        reports: [report(shas[4], { scan: { verdict: 'dangerous', scanner_version: '1' } })]
      });
      assert.deepEqual(b.json, { accepted: 1, dropped: 0 });
      const look = await call(c, 'POST', '/api/v1/artifacts/lookup', c.lab, { sha256: [shas[4]] });
      assert.equal(look.json.artifacts[shas[4]].scan.verdict, 'dangerous');
    });

    it('deletes what nobody reported within the retention age; decisions stay', async () => {
      const now = Date.now();
      const old = now - 40 * DAY;
      const who = { lab: 'lab-old', user: 'u' };
      const gone = hex(100);
      const decided = hex(101);
      await c.app.artifacts.record(
        who,
        [
          report(gone, {
            load: { decision: 'allowed', at: new Date(old).toISOString(), kernel: 'k' }
          }),
          report(decided, { source: { hub: { repo: 'org/x' }, at: new Date(old).toISOString() } })
        ],
        old
      );
      await c.app.artifacts.decide(decided, 'banned', 'kept', 'test', old);
      await c.app.packages.report(
        'lab-old',
        'u',
        {
          truncated: false,
          items: [{ name: 'numpy', version: '1.0', imported: true, kernels: 1, advisories: [] }]
        },
        old
      );
      const fresh = hex(102);
      await call(c, 'POST', '/api/v1/artifacts/reports', labB, {
        reports: [
          report(fresh, {
            load: { decision: 'allowed', at: new Date().toISOString(), kernel: 'k' }
          })
        ]
      });
      const removed = await c.app.artifactRetention.enforce(now);
      assert.ok(removed >= 5, `deleted ${removed}`);
      assert.equal(await count(c, 'artifacts WHERE sha256 = $1', [gone]), 0);
      assert.equal(await count(c, 'artifact_loads WHERE sha256 = $1', [gone]), 0);
      assert.equal(await count(c, 'artifact_sources WHERE sha256 = $1', [decided]), 0);
      assert.equal(
        await count(c, 'artifacts WHERE sha256 = $1 AND decision = $2', [decided, 'banned']),
        1
      );
      assert.equal(await count(c, "package_snapshots WHERE lab = 'lab-old'"), 0);
      assert.equal(await count(c, "lab_packages WHERE lab = 'lab-old'"), 0);
      assert.equal(await count(c, 'artifacts WHERE sha256 = $1', [fresh]), 1);
      assert.equal(await count(c, 'artifact_loads WHERE sha256 = $1', [fresh]), 1);
    });

    it('answers the dashboard from queries bounded in SQL', async () => {
      // One file loaded in many kernels of many labs (written directly: the quota is 3).
      const busy = hex(200);
      const t0 = Date.now();
      await c.app.db.query(
        `INSERT INTO artifacts (sha256, first_seen, last_seen, lab) VALUES ($1, $2, $2, 'x')`,
        [busy, t0]
      );
      for (let i = 0; i < CHAIN_LIMIT + 20; i++) {
        await c.app.db.query(
          `INSERT INTO artifact_loads (sha256, lab, user_name, kernel, cell, decision, first_at,
             last_at, count) VALUES ($1, $2, '', 'k', '', 'allowed', $3, $3, 1)`,
          [busy, `lab-${i}`, t0 + i]
        );
      }
      let listed: any;
      const answered = await rowsAnswered(c, 'artifact_loads', async () => {
        listed = await call(c, 'GET', `/api/v1/admin/artifacts?sha256=${busy}`, c.admin);
      });
      assert.equal(listed.status, 200, listed.text);
      const loads = listed.json.artifacts[0].loads;
      assert.equal(loads.length, CHAIN_LIMIT);
      assert.equal(loads[0].lab, `lab-${CHAIN_LIMIT + 19}`); // the most recent first
      assert.ok(answered.length && Math.max(...answered) <= CHAIN_LIMIT, `rows: ${answered}`);
      // Packages: many labs with one version, many versions; limit=2 answers a bounded set.
      for (let i = 0; i < LABS_PER_PACKAGE + 50; i++) {
        await c.app.packages.report(`pk-${i}`, null, {
          truncated: false,
          items: [
            { name: 'numpy', version: '1.0', imported: true, kernels: 1, advisories: [] },
            { name: `pkg-${i}`, version: '1.0', imported: false, kernels: 0, advisories: [] }
          ]
        });
      }
      let pk: any;
      const pkRows = await rowsAnswered(c, 'lab_packages', async () => {
        pk = await call(c, 'GET', '/api/v1/admin/packages?limit=2&name=numpy', c.admin);
      });
      assert.equal(pk.status, 200, pk.text);
      assert.equal(pk.json.packages.length, 1);
      assert.equal(pk.json.packages[0].labs.length, LABS_PER_PACKAGE);
      assert.ok(pkRows.length && Math.max(...pkRows) <= LABS_PER_PACKAGE, `rows: ${pkRows}`);
      const few = await rowsAnswered(c, 'lab_packages', async () => {
        pk = await call(c, 'GET', '/api/v1/admin/packages?limit=2', c.admin);
      });
      assert.equal(pk.json.packages.length, 2);
      assert.equal(pk.json.truncated, true);
      // 2 keys + the one that says "truncated", each with at most LABS_PER_PACKAGE labs
      assert.ok(few.length && Math.max(...few) <= LABS_PER_PACKAGE + 2, `rows: ${few}`);
    });
  });
}
