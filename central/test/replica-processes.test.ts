import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freshDbTarget, makeEvent, until } from './helpers.js';

// Two real central processes (`node dist/main.js serve`) on one PostgreSQL database and one
// key folder, as docs/central.md describes a replicated deployment.

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>(r => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise(r => s.close(r));
  return port;
}

describe('two central processes on one PostgreSQL', () => {
  let db: { target: string; drop: () => Promise<void> };
  let keyDir: string;
  const procs: ChildProcess[] = [];
  const urls: string[] = [];
  let admin = '';
  let lab = '';

  const req = async (base: string, method: string, path: string, token: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  before(async () => {
    db = await freshDbTarget('postgres');
    keyDir = mkdtempSync(join(tmpdir(), 'warden-proc-keys-'));
    const common = ['--db', db.target, '--key-dir', keyDir];
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [MAIN, ...args, ...common], { encoding: 'utf8' }).trim();
    admin = cli('admin', 'create-token');
    lab = cli('lab', 'create-token', '--name', 'lab-p', '--user', 'pat');
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const args = [MAIN, 'serve', ...common, '--port', String(port), '--log-level', 'warn'];
      procs.push(spawn(process.execPath, args, { stdio: 'ignore' }));
      urls.push(`http://127.0.0.1:${port}`);
    }
    for (const u of urls) {
      await until(
        async () =>
          (await req(u, 'GET', '/api/v1/whoami', lab).catch(() => undefined))?.status === 200,
        20_000,
        `${u} to answer`
      );
    }
  });
  after(async () => {
    for (const p of procs) {
      p.kill('SIGTERM');
    }
    await Promise.all(
      procs.map(p => new Promise(r => (p.exitCode !== null ? r(0) : p.once('exit', r))))
    );
    await db?.drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('stores an event posted to both processes at once once (one duplicate)', async () => {
    const evs = Array.from({ length: 50 }, () => makeEvent());
    const [a, b] = await Promise.all(
      urls.map(u => req(u, 'POST', '/api/v1/events', lab, { events: evs }))
    );
    evs.forEach((e, i) => {
      const pair = [a.json.results[i].status, b.json.results[i].status].sort();
      assert.deepEqual(pair, ['accepted', 'duplicate'], e.event_id);
    });
    const page = await req(urls[1], 'GET', '/api/v1/admin/events?lab=lab-p&limit=500', admin);
    const ids = page.json.events.map((e: any) => e.event_id);
    assert.equal(ids.length, new Set(ids).size);
    for (const e of evs) {
      assert.ok(ids.includes(e.event_id));
    }
  });

  it("wakes process B's long poll when a policy is published through process A", async () => {
    const first = await fetch(urls[1] + '/api/v1/policy', {
      headers: { authorization: `Bearer ${lab}` }
    });
    const etag = first.headers.get('etag')!;
    const t0 = Date.now();
    const held = fetch(urls[1] + '/api/v1/policy?wait=30', {
      headers: { authorization: `Bearer ${lab}`, 'if-none-match': etag }
    });
    await new Promise(r => setTimeout(r, 300)); // the poll is waiting
    const pub = await req(urls[0], 'POST', '/api/v1/admin/policies', admin, {
      name: 'fleet',
      document: { default_action: 'block' }
    });
    assert.equal(pub.status, 201);
    const res = await held;
    const waited = Date.now() - t0;
    assert.equal(res.status, 200);
    const doc = JSON.parse(Buffer.from((await res.json()).payload, 'base64url').toString('utf8'));
    assert.equal(doc.revision, pub.json.revision);
    assert.equal(doc.audience, 'lab-p');
    assert.ok(waited < 2300, `answered after ${waited} ms (documented bound: 2 s)`);
  });
});
