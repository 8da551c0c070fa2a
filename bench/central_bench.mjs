#!/usr/bin/env node
// Central service benchmark (run on demand, not in CI):
//   cd central && npm ci && npm run build && cd ..
//   bash central/scripts/with-postgres.sh node bench/central_bench.mjs
// Measures, in one run and against servers in their own processes on 127.0.0.1:
//   - a bare Fastify route (GET and a JSON POST of the same 100-event bodies): the baseline
//   - GET /api/v1/policy answered 304 (If-None-Match), 100 concurrent clients, on SQLite and PostgreSQL
//   - POST /api/v1/events, batches of 100 fresh events, on SQLite and PostgreSQL
// Targets (issue 8): >= 5,000 events/s and >= 5,000 policy requests/s.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'central');
const require = createRequire(join(root, 'package.json'));
const autocannon = require('autocannon');
const pg = require('pg');

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const POLICY_CONNECTIONS = 100;
const INGEST_CONNECTIONS = Number(process.env.BENCH_INGEST_CONNECTIONS ?? 8);
const BATCH = 100;
const main = join(root, 'dist', 'main.js');

const freePort = () =>
  new Promise((res) => {
    const s = require('net').createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });

async function waitUp(url) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server at ${url} did not start`);
}

function startProcess(args, env = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  return child;
}

const BARE = `
const Fastify = require(${JSON.stringify(join(root, 'node_modules', 'fastify'))});
const app = Fastify({ logger: false, bodyLimit: 8 << 20 });
app.get('/bare', async (req, reply) => { reply.header('etag', '"x"'); return reply.code(304).send(); });
app.post('/bare', async (req) => ({ results: req.body.events.map((e) => ({ event_id: e.event_id, status: 'accepted' })) }));
app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
`;

let seq = 0;
const runTag = randomBytes(4).toString('hex');
function batchBody() {
  const events = [];
  for (let i = 0; i < BATCH; i++) {
    seq++;
    events.push({
      event_id: `b${runTag}${seq.toString(36).padStart(8, '0')}`,
      time: new Date().toISOString(),
      kind: 'runtime',
      rule_id: 'pickle-blocked-global',
      severity: 'critical',
      action: 'blocked',
      fingerprint: '0123456789abcdef',
      location: { path: 'work/train.ipynb', cell_id: 'c1', line: 3 },
      evidence: { global: 'os.system', sha256: 'ab'.repeat(32) },
    });
  }
  return JSON.stringify({ events });
}

function run(opts) {
  return new Promise((res, rej) => autocannon({ duration: DURATION, ...opts }, (err, r) => (err ? rej(err) : res(r))));
}

async function measurePolicy(url, headers) {
  const first = await fetch(url, { headers });
  const etag = first.headers.get('etag');
  const r = await run({ url, connections: POLICY_CONNECTIONS, headers: { ...headers, 'if-none-match': etag ?? '"x"' } });
  const ok = r['3xx'] + r['2xx'];
  return { rps: ok / (r.duration || DURATION), p99: r.latency.p99, errors: r.non2xx - r['3xx'] + r.errors };
}

// Bodies are made before each run so the load generator spends its CPU sending, not
// serialising (it shares the 2 cores with the server); fresh ones are made if a run outlasts them.
const POOL = Number(process.env.BENCH_POOL ?? 3000);
let pool = [];
const nextBody = () => pool.pop() ?? batchBody();

async function measureIngest(url, headers) {
  pool = Array.from({ length: POOL }, batchBody);
  const r = await run({
    url,
    method: 'POST',
    connections: INGEST_CONNECTIONS,
    headers: { ...headers, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  return { rps: r['2xx'] / (r.duration || DURATION), eps: (r['2xx'] * BATCH) / (r.duration || DURATION), p99: r.latency.p99, errors: r.non2xx + r.errors };
}

async function central(db) {
  const keyDir = mkdtempSync(join(tmpdir(), 'warden-bench-keys-'));
  const common = ['--db', db, '--key-dir', keyDir];
  const token = execFileSync(process.execPath, [main, 'lab', 'create-token', '--name', 'bench-lab', ...common], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const port = await freePort();
  const child = startProcess([main, ...common, '--port', String(port), '--rate-limit', '100000000', '--event-rate', '0', '--lab-quota-events', '0', '--lab-quota-mb', '0', '--log-level', 'warn']);
  const base = `http://127.0.0.1:${port}`;
  await waitUp(base + '/');
  return { base, token, stop: () => child.kill('SIGTERM'), cleanup: () => rmSync(keyDir, { recursive: true, force: true }) };
}

async function pgDatabase() {
  const baseUrl = process.env.WARDEN_TEST_PG_URL;
  if (!baseUrl) return undefined;
  const name = 'warden_bench_' + runTag;
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(baseUrl);
  u.pathname = '/' + name;
  return u.toString();
}

const rows = [];
const loadBefore = loadavg();
const fmt = (n, d = 0) => (n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

// Baseline: a bare Fastify route in its own process.
const barePort = await freePort();
const bare = startProcess(['-e', BARE, String(barePort)]);
await waitUp(`http://127.0.0.1:${barePort}/bare`);
const bareGet = await measurePolicy(`http://127.0.0.1:${barePort}/bare`, {});
const barePost = await measureIngest(`http://127.0.0.1:${barePort}/bare`, {});
bare.kill('SIGTERM');
rows.push(['bare Fastify GET 304', '-', bareGet.rps, undefined, bareGet.p99, 1, bareGet.errors]);
rows.push(['bare Fastify POST 100 events', '-', barePost.rps, barePost.eps, barePost.p99, 1, barePost.errors]);

const sqliteDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
const targets = [['sqlite', join(sqliteDir, 'bench.db')]];
const pgUrl = await pgDatabase();
if (pgUrl) targets.push(['postgres', pgUrl]);
else console.error('WARDEN_TEST_PG_URL not set: PostgreSQL rows skipped (run through central/scripts/with-postgres.sh)');

for (const [name, db] of targets) {
  const c = await central(db);
  const auth = { authorization: `Bearer ${c.token}` };
  const pol = await measurePolicy(`${c.base}/api/v1/policy`, auth);
  rows.push([`policy GET 304 (${POLICY_CONNECTIONS} clients)`, name, pol.rps, undefined, pol.p99, pol.rps / bareGet.rps, pol.errors]);
  const ing = await measureIngest(`${c.base}/api/v1/events`, auth);
  rows.push([`events POST, batches of ${BATCH}`, name, ing.rps, ing.eps, ing.p99, ing.eps / barePost.eps, ing.errors]);
  c.stop();
  c.cleanup();
}
rmSync(sqliteDir, { recursive: true, force: true });

const header = ['test', 'db', 'req/s', 'events/s', 'p99 ms', 'vs bare', 'errors'];
const table = [header, ...rows.map((r) => [r[0], r[1], fmt(r[2]), fmt(r[3]), fmt(r[4]), fmt(r[5], 2), String(r[6])])];
const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
console.log(`\nJupyter Warden central benchmark (${DURATION}s per row, node ${process.version}, ${cpus().length} cores, load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
for (const [i, r] of table.entries()) {
  console.log('| ' + r.map((c, j) => c.padEnd(widths[j])).join(' | ') + ' |');
  if (i === 0) console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
}
const targetsMet = rows.filter((r) => r[1] !== '-').map((r) => (r[3] !== undefined ? r[3] >= 5000 : r[2] >= 5000));
console.log(`\ntargets (>= 5,000 events/s, >= 5,000 policy req/s): ${targetsMet.every(Boolean) ? 'met' : 'NOT met'}`);
