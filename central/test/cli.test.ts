import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The real command line: bootstrap tokens, start the server, rotate the signing key.

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'warden-cli-'));
const db = join(dir, 'warden.db');
const run = (...args: string[]) =>
  execFileSync(process.execPath, [MAIN, ...args, '--db', db], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  });

describe('command line', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates admin and lab tokens, printing each once on stdout', () => {
    const admin = run('admin', 'create-token').trim();
    assert.match(admin, /^wda_[A-Za-z0-9_-]{43}$/);
    const lab = run(
      'lab',
      'create-token',
      '--name',
      'lab-x',
      '--user',
      'carol',
      '--groups',
      'a,b'
    ).trim();
    assert.match(lab, /^wdl_[A-Za-z0-9_-]{43}$/);
    assert.throws(() => run('lab', 'create-token'), /needs --name/);
    assert.throws(() => run('frobnicate'), /unknown command/);
    assert.throws(() => run('--bogus', 'x'), /unknown option --bogus/);
  });

  it('serves on the given port with a key made on first start, and rotates keys', async () => {
    const lab = run('lab', 'create-token', '--name', 'lab-y').trim();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      [MAIN, '--db', db, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'],
      { stdio: 'ignore' }
    );
    try {
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/api/v1/keys`, {
          headers: { authorization: `Bearer ${lab}` }
        }).catch(() => undefined);
        if (!res) {
          await new Promise(r => setTimeout(r, 100));
        }
      }
      assert.ok(res, 'server came up');
      const keys = (await res!.json()).keys;
      assert.equal(keys.length, 1);
      assert.ok(
        readdirSync(join(dir, 'keys')).includes(`${keys[0].key_id}.pem`),
        'key file next to the database'
      );
      const who = await (
        await fetch(`http://127.0.0.1:${port}/api/v1/whoami`, {
          headers: { authorization: `Bearer ${lab}` }
        })
      ).json();
      assert.equal(who.lab, 'lab-y');
    } finally {
      child.kill('SIGTERM');
    }
    const out = run('key', 'rotate');
    assert.match(out, /active signing key is now [0-9a-f]{16}/);
    assert.equal(readdirSync(join(dir, 'keys')).filter(f => f.endsWith('.pem')).length, 2);
  });
});
