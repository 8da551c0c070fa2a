import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, startCentral, type Central } from './helpers.js';

// The Artifacts and Packages views in a real Chromium, over data two labs sent through the real
// API: the chain download source -> file -> loads, filters, trust/ban reaching the labs' signed
// decisions, and flagged package versions. Screenshots go to central/test-results/.

const SHOTS = new URL('../../test-results/', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const PYTHON = process.env.WARDEN_PYTHON ?? 'python3';
const run = promisify(execFile);

// The lab's own verification (jupyterlab_warden/lab/central/signing.py), as the lab runs it on
// the policy: pinned keys, Ed25519 envelope; prints the verified payload.
const LAB_VERIFY = `
import json, sys
sys.path.insert(0, sys.argv[1])
from jupyterlab_warden.lab.central.signing import load_public_keys, verified_payload
keys = load_public_keys(json.loads(sys.argv[2]))
print(verified_payload(json.loads(sys.argv[3]), keys).decode())
`;
const X = 'ab'.repeat(32);
const Y = 'cd'.repeat(32);
const COMMIT = '9f'.repeat(20);

describe('artifacts and packages views in Chromium', () => {
  let c: Central;
  let labB: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  async function shot(name: string) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SHOTS}dashboard-${name}-${scheme}.png`, fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  /** The decisions a lab receives, after checking the signature. */
  async function labDecisions() {
    const env = (await call(c, 'GET', '/api/v1/artifacts/decisions', labB)).json;
    const keys = (await call(c, 'GET', '/api/v1/keys', labB)).json.keys;
    const key = keys.find((k: any) => k.key_id === env.key_id);
    const payload = Buffer.from(env.payload, 'base64url');
    assert.ok(
      verify(
        null,
        payload,
        createPublicKey(key.public_key_pem),
        Buffer.from(env.signature, 'base64url')
      )
    );
    return JSON.parse(payload.toString('utf8'));
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    c = await startCentral('sqlite');
    labB = (
      await call(c, 'POST', '/api/v1/admin/tokens', c.admin, {
        kind: 'lab',
        name: 'lab-b',
        user: 'bob'
      })
    ).json.token;
    const a = await call(c, 'POST', '/api/v1/artifacts/reports', c.lab, {
      reports: [
        {
          sha256: X,
          size: 52_428_800,
          name: 'pytorch_model.bin',
          kind: 'torch',
          scan: { verdict: 'safe', scanner_version: '0.3.0', rules: [] },
          signature: { status: 'unsigned', signer: null },
          source: {
            hub: {
              repo: 'acme/bert',
              revision: 'main',
              commit: COMMIT,
              filename: 'pytorch_model.bin'
            },
            kernel: 'k-7f3a',
            cell: 'cell-download',
            at: new Date(Date.now() - 60_000).toISOString()
          },
          load: {
            decision: 'allowed',
            at: new Date().toISOString(),
            kernel: 'k-7f3a',
            cell: 'cell-load'
          }
        }
      ]
    });
    assert.equal(a.status, 202, a.text);
    const b = await call(c, 'POST', '/api/v1/artifacts/reports', labB, {
      reports: [
        {
          sha256: Y,
          size: 2048,
          name: 'evil.pkl',
          kind: 'pickle',
          scan: {
            verdict: 'dangerous',
            scanner_version: '0.3.0',
            rules: ['pickle-blocked-global']
          },
          load: {
            decision: 'blocked',
            at: new Date().toISOString(),
            kernel: 'k-b1',
            cell: 'cell-9'
          }
        },
        {
          sha256: X,
          size: 52_428_800,
          name: 'pytorch_model.bin',
          kind: 'torch',
          load: { decision: 'confirmed', at: new Date().toISOString(), kernel: 'k-b2' }
        }
      ]
    });
    assert.equal(b.status, 202, b.text);
    const pkg = (name: string, version: string, advisories: string[] = []) => ({
      name,
      version,
      imported: true,
      kernels: 1,
      advisories
    });
    for (const [token, items] of [
      [c.lab, [pkg('torch', '2.5.1', ['GHSA-53q9-r3pm-6pq6']), pkg('numpy', '2.1.3')]],
      [
        labB,
        [
          pkg('torch', '2.6.0'),
          pkg('numpy', '2.1.3'),
          pkg('keras', '3.8.0', ['GHSA-c9rc-mg46-23w3'])
        ]
      ]
    ] as const) {
      const r = await call(c, 'POST', '/api/v1/status', token, {
        policy_revision: 0,
        packages: { truncated: false, items }
      });
      assert.equal(r.status, 204, r.text);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', e => pageErrors.push(e.message));
    await page.goto(c.url + '/');
    await page.fill('#token', c.admin);
    await page.click('#signin-form button');
    await page.waitForSelector('#tab-overview:not([hidden])');
  });

  after(async () => {
    await browser?.close();
    await c?.close();
  });

  it('lists the reported files and filters them', async () => {
    await page.click('#tab-btn-artifacts');
    await page.waitForSelector(`#artifacts-table tr[data-sha256="${Y}"]`);
    assert.equal(await page.locator('#artifacts-table tbody tr').count(), 2);
    const x = page.locator(`#artifacts-table tr[data-sha256="${X}"]`);
    const text = await x.innerText();
    assert.match(text, /pytorch_model\.bin/);
    assert.match(text, /acme\/bert@9f9f9f9f9f/);
    assert.match(text, /1 allowed · 1 confirmed|1 confirmed · 1 allowed/);
    await page.selectOption('#artifact-filters select[name=verdict]', 'dangerous');
    await page.click('#artifact-filters button[type=submit]');
    await page.waitForFunction(
      () => document.querySelectorAll('#artifacts-table tbody tr').length === 1
    );
    assert.equal(await page.locator('#artifacts-table tbody tr').getAttribute('data-sha256'), Y);
    await page.selectOption('#artifact-filters select[name=verdict]', '');
    await page.fill('#artifact-filters input[name=repo]', 'acme/bert');
    await page.click('#artifact-filters button[type=submit]');
    await page.waitForFunction(x => {
      const rows = document.querySelectorAll('#artifacts-table tbody tr');
      return rows.length === 1 && rows[0].getAttribute('data-sha256') === x;
    }, X);
    await shot('artifacts');
  });

  it('shows the chain source -> file -> loads with lab, user, kernel and cell', async () => {
    await page.click(`#artifacts-table tr[data-sha256="${X}"]`);
    await page.waitForSelector('#artifact-detail[open]');
    const body = page.locator('#artifact-body');
    const source = await body.locator('table.chain').first().innerText();
    for (const s of [
      'acme/bert',
      'main',
      COMMIT.slice(0, 12),
      'lab-a',
      'alice',
      'k-7f3a',
      'cell-download'
    ]) {
      assert.ok(source.includes(s), `source shows ${s}: ${source}`);
    }
    assert.match(await body.innerText(), /safe scanner 0\.3\.0/);
    const loads = await body.locator('table.chain').nth(1).locator('tbody tr').allInnerTexts();
    const norm = loads.map(l =>
      l
        .split('\t')
        .slice(0, 5)
        .map(s => s.trim())
    );
    assert.deepEqual(norm.sort(), [
      ['allowed', 'lab-a', 'alice', 'k-7f3a', 'cell-load'],
      ['confirmed', 'lab-b', 'bob', 'k-b2', '–']
    ]);
    await shot('artifact-chain');
  });

  it('bans and trusts a file for the fleet; the labs receive it signed', async () => {
    await page.fill('#artifact-decision input[name=note]', 'tampered upload, see IR-42');
    await page.click('#artifact-decision button[value=banned]');
    await page.waitForSelector('#artifact-decision-status:has-text("Marked banned")');
    let d = await labDecisions();
    // The same envelope passes the lab's own Python verification with the pinned keys.
    const keys = Object.fromEntries(
      (await call(c, 'GET', '/api/v1/keys', labB)).json.keys.map((k: any) => [
        k.key_id,
        k.public_key
      ])
    );
    const env = (await call(c, 'GET', '/api/v1/artifacts/decisions', labB)).json;
    const verified = await run(PYTHON, [
      '-c',
      LAB_VERIFY,
      ROOT,
      JSON.stringify(keys),
      JSON.stringify(env)
    ]);
    assert.deepEqual(JSON.parse(verified.stdout), d);
    const forged = {
      ...env,
      payload: Buffer.from(JSON.stringify({ ...d, artifacts: [] })).toString('base64url')
    };
    await assert.rejects(
      run(PYTHON, ['-c', LAB_VERIFY, ROOT, JSON.stringify(keys), JSON.stringify(forged)]),
      /bad_signature|does not verify/
    );
    assert.deepEqual(
      d.artifacts.map((a: any) => [a.sha256, a.decision, a.note]),
      [[X, 'banned', 'tampered upload, see IR-42']]
    );
    assert.match(
      await page.locator('#artifact-body').innerText(),
      /banned by \S*ops, .* — tampered upload, see IR-42/
    );
    const lookup = await call(c, 'POST', '/api/v1/artifacts/lookup', labB, { sha256: [X] });
    assert.equal(lookup.json.artifacts[X].fleet_decision, 'banned');
    await page.click('#artifact-decision button[value=trusted]');
    await page.waitForSelector('#artifact-decision-status:has-text("Marked trusted")');
    d = await labDecisions();
    assert.deepEqual(
      d.artifacts.map((a: any) => a.decision),
      ['trusted']
    );
    await page.click('#artifact-decision button[value=clear]');
    await page.waitForSelector('#artifact-decision-status:has-text("cleared")');
    d = await labDecisions();
    assert.deepEqual(d.artifacts, []);
    const audit = (await call(c, 'GET', '/api/v1/admin/audit', c.admin)).json.entries;
    assert.deepEqual(
      audit.filter((e: any) => e.action === 'artifact.decision').map((e: any) => e.detail.decision),
      [null, 'trusted', 'banned']
    );
    await page.click('#artifact-detail button[value=close]');
  });

  it('shows package versions per lab with versions under advisories highlighted', async () => {
    await page.click('#tab-btn-packages');
    await page.waitForSelector('#packages-table tr[data-package="torch==2.5.1"]');
    const rows = await page
      .locator('#packages-table tbody tr')
      .evaluateAll(trs =>
        trs.map(tr => [tr.getAttribute('data-package'), tr.classList.contains('flagged')])
      );
    assert.deepEqual(rows, [
      ['keras==3.8.0', true],
      ['numpy==2.1.3', false],
      ['torch==2.5.1', true],
      ['torch==2.6.0', false]
    ]);
    const numpy = await page.locator('#packages-table tr[data-package="numpy==2.1.3"]').innerText();
    assert.match(numpy, /lab-a \(alice\)/);
    assert.match(numpy, /lab-b \(bob\)/);
    assert.match(
      await page.locator('#packages-table tr[data-package="torch==2.5.1"]').innerText(),
      /GHSA-53q9-r3pm-6pq6/
    );
    // The highlight is visible: the flagged row's background differs from a clean one's.
    const bg = (p: string) =>
      page
        .locator(`#packages-table tr[data-package="${p}"] td`)
        .first()
        .evaluate(td => getComputedStyle(td).backgroundColor);
    assert.notEqual(await bg('torch==2.5.1'), await bg('torch==2.6.0'));
    await page.selectOption('#package-filters select[name=flagged]', 'true');
    await page.click('#package-filters button[type=submit]');
    await page.waitForFunction(
      () => document.querySelectorAll('#packages-table tbody tr').length === 2
    );
    await page.selectOption('#package-filters select[name=flagged]', '');
    await page.fill('#package-filters input[name=name]', 'torch');
    await page.click('#package-filters button[type=submit]');
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('#packages-table tbody tr')).every(tr =>
          tr.getAttribute('data-package')?.startsWith('torch==')
        ) && document.querySelectorAll('#packages-table tbody tr').length === 2
    );
    assert.match(
      (await page.textContent('#packages-summary')) ?? '',
      /2 versions from 2 labs, 1 under/
    );
    await shot('packages');
    assert.deepEqual(pageErrors, []);
  });
});
