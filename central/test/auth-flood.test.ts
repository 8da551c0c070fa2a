import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { call, startCentral, type Central } from './helpers.js';

// Red-team finding 2: made-up credentials are limited per address before the look-ups they
// cost (Hub calls, token queries), a flood gets 429 (never 503 for everyone), and a genuine
// Hub user, cached or not, still gets in.

/** GET from a given local address (a second "machine" on the loopback). */
function getFrom(base: string, path: string, auth: string, localAddress: string): Promise<number> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: 'GET',
        localAddress,
        agent: false,
        headers: { authorization: auth }
      },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }
    );
    req.on('error', reject);
    req.end();
  });
}

describe('credential floods', () => {
  let c: Central;
  const calls = { bogus: 0, alice: 0, bob: 0 };
  const hub = createServer((req, res) => {
    const tok = String(req.headers.authorization ?? '');
    // A slow Hub, so a flood keeps look-ups in flight.
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      if (tok === 'token hub-alice' || tok === 'token hub-bob') {
        const name = tok.slice('token hub-'.length) as 'alice' | 'bob';
        calls[name]++;
        return res.end(JSON.stringify({ name, groups: [], admin: false }));
      }
      calls.bogus++;
      res.writeHead(403).end('{}');
    }, 200);
  });
  const LIMIT = 20;
  before(async () => {
    await new Promise<void>(r => hub.listen(0, '127.0.0.1', () => r()));
    const port = (hub.address() as { port: number }).port;
    c = await startCentral('sqlite', {
      'hub-url': `http://127.0.0.1:${port}`,
      'unauth-rate-limit': String(LIMIT),
      'rate-limit': '10000'
    });
  });
  after(async () => {
    await c?.close();
    hub.close();
  });

  it('limits made-up Hub tokens per address before the Hub call; others still get in', async () => {
    // Alice signs in once (cached); Bob has never been seen when the flood starts.
    assert.equal(await getFrom(c.url, '/api/v1/whoami', 'token hub-alice', '127.0.0.1'), 200);
    const flood = Array.from({ length: 300 }, (_, i) =>
      getFrom(c.url, '/api/v1/whoami', `token made-up-${i}`, '127.0.0.2')
    );
    const bob = getFrom(c.url, '/api/v1/whoami', 'token hub-bob', '127.0.0.1');
    const alice = getFrom(c.url, '/api/v1/whoami', 'token hub-alice', '127.0.0.1');
    const statuses = await Promise.all(flood);
    assert.equal(await bob, 200, 'a genuine, uncached Hub user is not denied by the flood');
    assert.equal(await alice, 200, 'a cached Hub user is not denied by the flood');
    assert.ok(!statuses.includes(503), 'the flood never turns into 503');
    assert.ok(
      statuses.every(s => s === 401 || s === 429),
      String(new Set(statuses))
    );
    assert.ok(statuses.filter(s => s === 429).length >= 300 - LIMIT - 4);
    assert.ok(calls.bogus <= LIMIT + 4, `${calls.bogus} Hub look-ups for made-up tokens`);
  });

  it('limits made-up bearer tokens per address before the database look-up', async () => {
    let lookups = 0;
    const store = c.app.tokens;
    const real = store.lookup.bind(store);
    store.lookup = async (t: string) => {
      lookups++;
      return real(t);
    };
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 10; i++) {
      statuses.push(await getFrom(c.url, '/api/v1/whoami', `Bearer wdl_bogus${i}`, '127.0.0.3'));
    }
    assert.deepEqual(statuses.slice(0, LIMIT), Array(LIMIT).fill(401));
    assert.deepEqual(statuses.slice(LIMIT), Array(10).fill(429));
    assert.equal(lookups, LIMIT, 'no database look-up once the address is over its limit');
    // The lab's own token, from another address, is untouched.
    assert.equal((await call(c, 'GET', '/api/v1/whoami', c.lab)).status, 200);
  });
});
