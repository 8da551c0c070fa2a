import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { call, DIALECTS, makeEvent, rawRequest, startCentral, type Central } from './helpers.js';

// Authorization is decided on the route the router matched. The attacks of issue 13 as they
// were tried, on SQLite and PostgreSQL, then a seeded fuzz of spellings x methods x credentials.

const ok = (s: number) => s >= 200 && s < 300;

for (const dialect of DIALECTS) {
  describe(`the issue-13 attacks on ${dialect}`, () => {
    let c: Central;
    before(async () => {
      c = await startCentral(dialect, { 'unauth-rate-limit': '10000', 'rate-limit': '10000' });
    });
    after(async () => c?.close());

    it('GET /%61pi/v1/admin/... without a credential lists nothing', async () => {
      const paths = ['tokens', 'events', 'audit', 'labs', 'policies', 'export/ocsf', 'shadow-ml'];
      for (const p of paths) {
        const r = await rawRequest(c.url, 'GET', `/%61pi/v1/admin/${p}`);
        assert.ok(!ok(r.status), `${p}: ${r.status}`);
        assert.equal(r.status, 401, `${p} is the admin route, asked without a credential`);
        assert.doesNotMatch(r.text, /lab-a|"tokens"|"events"/);
      }
    });

    it('DELETE /%61pi/v1/admin/tokens/<id> without a credential revokes nothing', async () => {
      const listed = await call(c, 'GET', '/api/v1/admin/tokens', c.admin);
      const labTok = listed.json.tokens.find((t: any) => t.name === 'lab-a');
      const r = await rawRequest(c.url, 'DELETE', `/%61pi/v1/admin/tokens/${labTok.id}`);
      assert.equal(r.status, 401);
      assert.equal(
        (await call(c, 'GET', '/api/v1/whoami', c.lab)).status,
        200,
        'the lab token still works'
      );
    });

    it('POST /api/v1/%61dmin/tokens with a lab token mints no admin token', async () => {
      const before = (await call(c, 'GET', '/api/v1/admin/tokens', c.admin)).json.tokens.length;
      const r = await rawRequest(
        c.url,
        'POST',
        '/api/v1/%61dmin/tokens',
        { authorization: `Bearer ${c.lab}` },
        JSON.stringify({ kind: 'admin', name: 'x' })
      );
      assert.equal(r.status, 403);
      assert.equal(JSON.parse(r.text).error, 'forbidden');
      assert.doesNotMatch(r.text, /wda_/);
      const after = (await call(c, 'GET', '/api/v1/admin/tokens', c.admin)).json.tokens;
      assert.equal(after.length, before);
      assert.ok(!after.some((t: any) => t.name === 'x'));
    });

    it('POST /api/v1/%61dmin/policies with a lab token publishes nothing', async () => {
      const head = (await call(c, 'GET', '/api/v1/admin/policies', c.admin)).json.head_revision;
      const body = JSON.stringify({ name: 'pwn', document: { guard: { enabled: false } } });
      const r = await rawRequest(
        c.url,
        'POST',
        '/api/v1/%61dmin/policies',
        { authorization: `Bearer ${c.lab}` },
        body
      );
      assert.equal(r.status, 403);
      const now = await call(c, 'GET', '/api/v1/admin/policies', c.admin);
      assert.equal(now.json.head_revision, head);
      assert.deepEqual(
        now.json.policies.map((p: any) => p.name).filter((n: string) => n === 'pwn'),
        []
      );
    });

    it("answers a malformed path with the API's error shape, not Fastify's", async () => {
      const r = await rawRequest(c.url, 'GET', '/api/v1/%zz', {
        authorization: `Bearer ${c.admin}`
      });
      assert.ok(r.status === 400 || r.status === 404, String(r.status));
      const body = JSON.parse(r.text);
      assert.equal(typeof body.error, 'string');
      assert.equal(typeof body.message, 'string');
      assert.doesNotMatch(r.text, /FST_|statusCode/);
    });
  });
}

describe('route declarations', () => {
  let c: Central;
  before(async () => {
    c = await startCentral('sqlite');
  });
  after(async () => c?.close());

  it('every registered route declares who may call it', () => {
    const table = c.app.routeTable;
    assert.ok(table.length >= 25, `${table.length} routes`);
    for (const r of table) {
      assert.ok(
        ['public', 'any', 'lab', 'admin', 'admin-credential', 'session'].includes(String(r.auth)),
        `${r.method} ${r.url}`
      );
    }
    for (const r of table.filter(x => x.url.startsWith('/api/v1/admin/'))) {
      assert.equal(r.auth, 'admin', r.url);
    }
    for (const r of table.filter(x => !x.url.startsWith('/api/'))) {
      assert.equal(r.auth, 'public', r.url);
    }
  });

  it('refuses to start with a route that declares nothing', async () => {
    const config = loadConfig(
      { db: ':memory:', 'key-dir': c.app.config.keyDir, 'log-level': 'fatal' },
      {}
    );
    const app = await buildApp(config, {
      beforeRoutes: a => {
        a.get('/api/v1/forgotten', async () => ({ secret: 1 }));
      }
    });
    await assert.rejects(async () => {
      await app.ready();
    }, /without an access declaration.*GET \/api\/v1\/forgotten/);
    await app.close().catch(() => undefined);
  });
});

// ---- fuzz ----

function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** The roles the test expects, by route pattern: written here, not read from the service. */
function expected(
  method: string,
  url: string
): 'public' | 'any' | 'lab' | 'admin' | 'admin-credential' | 'session' {
  if (url.startsWith('/api/v1/admin/')) {
    return 'admin';
  }
  if (url === '/api/v1/whoami' || url === '/api/v1/keys') {
    return 'any';
  }
  const labRoutes = [
    '/api/v1/policy',
    '/api/v1/events',
    '/api/v1/status',
    '/api/v1/artifacts/lookup',
    '/api/v1/artifacts/reports',
    '/api/v1/artifacts/decisions'
  ];
  if (labRoutes.includes(url)) {
    return 'lab';
  }
  if (url === '/api/v1/auth/session') {
    return method === 'DELETE' ? 'session' : 'admin-credential';
  }
  if (!url.startsWith('/api')) {
    return 'public';
  }
  throw new Error(`unexpected route ${method} ${url}`);
}

type Who = 'none' | 'lab' | 'revoked' | 'session';
function allowed(role: ReturnType<typeof expected>, who: Who): boolean {
  if (role === 'public') {
    return true;
  }
  if (who === 'none' || who === 'revoked') {
    return false;
  }
  if (role === 'any') {
    return true;
  }
  if (role === 'lab') {
    return who === 'lab';
  }
  if (role === 'admin-credential') {
    return false; // a session cannot open another session
  }
  return who === 'session'; // admin and session routes
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function spell(path: string, rnd: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
  let segs = path.split('/').slice(1);
  const out: string[] = [];
  for (const s of segs) {
    let seg = '';
    for (const ch of s) {
      const r = rnd();
      if (r < 0.15) {
        seg += '%' + ch.charCodeAt(0).toString(16).padStart(2, '0');
      } else if (r < 0.2) {
        seg += '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
      } else if (r < 0.25) {
        seg += ch.toUpperCase();
      } else {
        seg += ch;
      }
    }
    if (rnd() < 0.05) {
      seg += ';x=1';
    }
    out.push(seg);
    if (rnd() < 0.04) {
      out.push(pick(['.', '%2e', 'zz/..', 'a/%2e%2e']));
    }
  }
  let p = '/' + out.join(rnd() < 0.9 ? '/' : pick(['//', '/%2f', '%2F', '/./']));
  if (rnd() < 0.1) {
    p = p.replace('/', pick(['//', '/./', '/%2F']));
  }
  if (rnd() < 0.1) {
    p += '/';
  }
  if (rnd() < 0.1) {
    p += pick(['?limit=1', '?a=%61&b', ';jsessionid=1', '#frag', '?wait=0']);
  }
  segs = [];
  return p;
}

function bodyFor(url: string): string | undefined {
  if (url.endsWith('/tokens')) {
    return JSON.stringify({ kind: 'admin', name: 'fuzz-admin' });
  }
  if (url.endsWith('/policies')) {
    return JSON.stringify({ name: 'fuzz', document: { guard: { enabled: false } } });
  }
  if (url.includes('/policies/')) {
    return JSON.stringify({ document: { guard: { enabled: false } } });
  }
  if (url.endsWith('/validate')) {
    return JSON.stringify({ document: {} });
  }
  if (url.endsWith('/events')) {
    return JSON.stringify({ events: [makeEvent()] });
  }
  if (url.endsWith('/decision')) {
    return JSON.stringify({ decision: 'trusted', note: 'fuzz' });
  }
  if (url.endsWith('/artifacts/lookup')) {
    return JSON.stringify({ sha256: ['ab'.repeat(32)] });
  }
  if (url.endsWith('/artifacts/reports')) {
    return JSON.stringify({
      reports: [{ sha256: 'ab'.repeat(32), size: 1, name: 'fuzz.pt', kind: 'torch' }]
    });
  }
  if (url.endsWith('/status')) {
    return JSON.stringify({ queue_depth: 1 });
  }
  return undefined;
}

describe('routing and authorization fuzz', () => {
  let c: Central;
  const who: Record<Who, string | undefined> = {
    none: undefined,
    lab: undefined,
    revoked: undefined,
    session: undefined
  };
  before(async () => {
    c = await startCentral(
      'sqlite',
      { 'unauth-rate-limit': '1000000', 'rate-limit': '1000000', 'event-rate': '0' },
      () => undefined,
      {
        // Tells the test which route the router matched, so the check is on what it resolved to.
        beforeRoutes: app => {
          app.addHook('onSend', async (req, reply, payload) => {
            if (!req.is404) {
              reply.header('x-test-route', `${req.routeOptions.method} ${req.routeOptions.url}`);
            }
            return payload;
          });
        }
      }
    );
    who.lab = c.lab;
    const doomed = await call(c, 'POST', '/api/v1/admin/tokens', c.admin, {
      kind: 'lab',
      name: 'doomed'
    });
    await call(c, 'DELETE', `/api/v1/admin/tokens/${doomed.json.id}`, c.admin);
    who.revoked = doomed.json.token;
    who.session = (await call(c, 'POST', '/api/v1/auth/session', c.admin)).json.session_token;
  });
  after(async () => c?.close());

  it('answers no 2xx to a spelling of any route unless the caller has its role', async t => {
    const seed = Number(process.env.WARDEN_FUZZ_SEED ?? 1313);
    const n = Number(process.env.WARDEN_FUZZ_N ?? 400);
    const rnd = prng(seed);
    const routes = c.app.routeTable.filter(r => r.method !== 'HEAD');
    const tokenId = (await call(c, 'GET', '/api/v1/admin/tokens', c.admin)).json.tokens[0].id;
    let twoXX = 0;
    // Respellings the router resolved to a route: the cases a URL-string check got wrong.
    let respelledHits = 0;
    let respelledRefused = 0;
    const matched = new Set<string>();
    for (let i = 0; i < n; i++) {
      const route = routes[Math.floor(rnd() * routes.length)];
      const concrete = route.url
        .replace(':name', 'default')
        .replace(':id', tokenId)
        .replace(':sha256', 'ab'.repeat(32));
      const method = rnd() < 0.6 ? route.method : METHODS[Math.floor(rnd() * METHODS.length)];
      const path = spell(concrete, rnd);
      for (const w of ['none', 'lab', 'revoked', 'session'] as Who[]) {
        const headers: Record<string, string> = {};
        if (who[w]) {
          headers.authorization = `Bearer ${who[w]}`;
        }
        const body = method === 'GET' || method === 'HEAD' ? undefined : bodyFor(concrete);
        // Never end the session mid-fuzz: its DELETE is checked for the other callers only.
        if (
          w === 'session' &&
          method === 'DELETE' &&
          /session/i.test(decodeURIComponent(path.replace(/%(?![0-9a-f]{2})/gi, '')))
        ) {
          continue;
        }
        const r = await rawRequest(c.url, method, path, headers, body);
        const hit = r.headers['x-test-route'] as string | undefined;
        if (hit && path !== concrete) {
          respelledHits++;
          if (r.status === 401 || r.status === 403) {
            respelledRefused++;
          }
        }
        const note = `${method} ${path} as ${w} -> ${r.status} (${hit ?? 'no route'})`;
        assert.ok(r.status < 500, note);
        if (!ok(r.status)) {
          if (method !== 'HEAD' && r.text) {
            assert.equal(typeof JSON.parse(r.text).error, 'string', note);
          }
          continue;
        }
        twoXX++;
        assert.ok(hit, `a 2xx without a matched route: ${note}`);
        const [m, url] = hit!.split(' ');
        matched.add(hit!);
        assert.ok(allowed(expected(m, url), w), `2xx without the role: ${note}`);
      }
    }
    t.diagnostic(
      `seed ${seed}: ${n} spellings x 4 callers, ${respelledHits} respelled hits, ` +
        `${respelledRefused} refused by role, ${twoXX} 2xx, ${matched.size} routes answered 2xx`
    );
    assert.ok(respelledHits > n / 4, `respellings reached routes (${respelledHits})`);
    assert.ok(respelledRefused > n / 10, `and were refused by role (${respelledRefused})`);
    assert.ok(twoXX > n / 10, `the fuzz reached real handlers (${twoXX} 2xx answers)`);
    assert.ok(matched.size > 5, `several routes answered (${[...matched].join(', ')})`);
    const tokens = (await call(c, 'GET', '/api/v1/admin/tokens', c.admin)).json.tokens;
    assert.ok(
      !tokens.some(
        (t: any) =>
          t.kind === 'admin' &&
          t.created_by !== 'test' &&
          !/^session/.test(t.created_by) &&
          t.created_by !== 'admin-token:ops'
      ),
      'no admin token minted by a non-admin'
    );
  });
});
