import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, makeEvent, startCentral, type Central } from './helpers.js';

// The dashboard in a real Chromium against a real central: charts drawn from ingested events,
// event detail, labs with unguarded kernels, the policy editor's rule picker publishing a
// revision that the lab's own client (Python, tests/central/lab_policy_fetch.py) verifies and
// accepts over HTTP, tokens. Screenshots, light and dark, go to central/test-results/.

const SHOTS = new URL('../../test-results/', import.meta.url).pathname;
const ROOT = new URL('../../../', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PYTHON = process.env.WARDEN_PYTHON ?? 'python3';
const run = promisify(execFile);

const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

describe('dashboard in Chromium', () => {
  let c: Central;
  let labB: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const posture = 'ee'.repeat(8);

  async function shot(name: string) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // Charts take the theme's colours when it changes; wait for a frame.
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => r(null))));
      await page.screenshot({ path: `${SHOTS}dashboard-${name}-${scheme}.png`, fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    c = await startCentral('sqlite');
    labB = (await call(c, 'POST', '/api/v1/admin/tokens', c.admin, { kind: 'lab', name: 'lab-b' }))
      .json.token;
    const a = [
      makeEvent({
        time: ago(30),
        severity: 'critical',
        kind: 'runtime',
        rule_id: 'pickle-blocked-global',
        action: 'blocked',
        message: 'blocked os.system in evil.pt',
        location: { path: 'work/train.ipynb', cell_id: 'c7', kernel_id: 'k-1' },
        evidence: { sha256: 'cd'.repeat(32), model_path: 'models/evil.pt', global: 'os.system' }
      }),
      makeEvent({ time: ago(5), severity: 'high', message: 'torch.load without weights_only' }),
      ...[48, 24, 2].map(h =>
        makeEvent({
          time: ago(h),
          severity: 'low',
          kind: 'sandbox',
          rule_id: 'kernel-runs-as-root',
          action: 'warned',
          fingerprint: posture,
          message: '<img src=x onerror=alert(1)>'
        })
      )
    ];
    // The lab relays the Jupyter user of each event (central/API.md, Events).
    const r = await call(c, 'POST', '/api/v1/events', c.lab, {
      events: a,
      users: ['alice', 'bob', null, null, null]
    });
    assert.ok(r.json.results.every((x: any) => x.status === 'accepted'));
    await call(c, 'POST', '/api/v1/events', labB, {
      events: [
        makeEvent({
          time: ago(3),
          severity: 'critical',
          kind: 'runtime',
          rule_id: 'model-file-dangerous-globals',
          action: 'blocked'
        })
      ],
      users: ['carol']
    });
    await call(c, 'POST', '/api/v1/status', c.lab, {
      policy_revision: 0,
      queue_depth: 2,
      dropped: { queue_full: 1 },
      warden_version: '0.1.0',
      kernels: {
        total: 2,
        guarded: 1,
        unguarded: [{ kernel: '1a2b3c4d', reason: 'no_report' }]
      }
    });
    await call(c, 'POST', '/api/v1/status', labB, {
      kernels: { total: 1, guarded: 1, unguarded: [] }
    });
    const created = await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
      name: 'fleet',
      document: { scope: {}, default_action: 'warn', rules: {} }
    });
    assert.equal(created.status, 201);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', e => pageErrors.push(e.message));
    page.on('console', m => {
      // The sign-in test's refused tokens (401, 403) are logged by the browser on purpose.
      if (m.type() === 'error' && !/status of 40[13] /.test(m.text())) {
        consoleErrors.push(m.text());
      }
    });
    page.on('dialog', d => d.accept());
  });

  after(async () => {
    await browser?.close();
    await c?.close();
  });

  it('serves only the chart library file it needs from node_modules, under the CSP', async () => {
    const lib = await fetch(`${c.url}/vendor/chart.umd.min.js`);
    assert.equal(lib.status, 200);
    assert.match(lib.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await lib.text(), /Chart/);
    assert.equal((await fetch(`${c.url}/vendor/chart.js`)).status, 404);
    assert.equal((await fetch(`${c.url}/vendor/../package.json`)).status, 404);
  });

  it('refuses a wrong token and signs in with an admin token', async () => {
    await page.goto(c.url + '/');
    await page.fill('#token', 'wda_wrong');
    await page.click('#signin-form button');
    await page.waitForSelector('#signin-error:has-text("Sign-in failed")');
    await page.fill('#token', c.lab);
    await page.click('#signin-form button');
    await page.waitForSelector('#signin-error:has-text("admins")');
    await page.fill('#token', c.admin);
    await page.click('#signin-form button');
    await page.waitForSelector('#tab-overview:not([hidden])');
  });

  it('draws the charts from the ingested events', async () => {
    await page.selectOption('#overview-form select[name=range]', '7');
    await page.selectOption('#overview-form select[name=bucket]', 'hour');
    await page.click('#overview-form button[type=submit]');
    // The sign-in load may still be running: wait until the newest answer is drawn.
    await page.waitForSelector('#tab-overview:not([aria-busy])');
    assert.equal(await page.textContent('#stat-events'), '6');
    const charts = await page.evaluate(() => {
      const Chart = (window as any).Chart;
      const read = (id: string) => {
        const chart = Chart.getChart(id);
        return {
          labels: chart.data.labels,
          sets: Object.fromEntries(
            chart.data.datasets.map((d: any) => [
              d.label,
              d.data.reduce((a: number, b: number) => a + b, 0)
            ])
          )
        };
      };
      return {
        severity: read('chart-severity'),
        action: read('chart-action'),
        rules: read('chart-rules'),
        labs: read('chart-labs'),
        blocked: read('chart-blocked')
      };
    });
    assert.deepEqual(charts.severity.sets, { low: 3, high: 1, critical: 2 });
    assert.deepEqual(charts.action.sets, { warned: 4, blocked: 2 });
    assert.deepEqual(charts.blocked.sets, { 'lab-a': 1, 'lab-b': 1 });
    assert.equal(charts.rules.labels[0], 'kernel-runs-as-root');
    assert.deepEqual(charts.labs.labels, ['lab-a', 'lab-b']);
    // One bucket per hour from the first event (48 h ago) to the last.
    assert.ok(charts.severity.labels.length >= 47, `${charts.severity.labels.length} buckets`);
    assert.equal(await page.textContent('#stat-blocked'), '2');
    assert.equal(await page.textContent('#stat-unguarded'), '1');
    // Light and dark follow the system, charts included.
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(dark, light);
    await shot('overview');
  });

  it('an older answer arriving last does not overwrite the newer one', async () => {
    // Hold the day-bucket answer, ask for hours meanwhile, then let the day answer through.
    let release!: () => void;
    const held = new Promise<void>(r => (release = r));
    let seenDay!: () => void;
    const daySent = new Promise<void>(r => (seenDay = r));
    await page.route(/\/events\/stats\?.*bucket=day/, async route => {
      seenDay();
      await held;
      await route.continue();
    });
    await page.selectOption('#overview-form select[name=bucket]', 'day');
    await page.click('#overview-form button[type=submit]');
    await daySent;
    await page.selectOption('#overview-form select[name=bucket]', 'hour');
    const hourAnswer = page.waitForResponse(/\/events\/stats\?.*bucket=hour/);
    await page.click('#overview-form button[type=submit]');
    await hourAnswer;
    const dayAnswer = page.waitForResponse(/\/events\/stats\?.*bucket=day/);
    release();
    await dayAnswer;
    await page.waitForSelector('#tab-overview:not([aria-busy])');
    await page.unroute(/\/events\/stats\?.*bucket=day/);
    const labels = await page.evaluate(
      () => (window as any).Chart.getChart('chart-severity').data.labels.length
    );
    assert.ok(labels >= 47, `${labels} buckets: the older day-bucket answer was drawn`);
  });

  it('lists events with users and rolled-up posture findings; text stays text', async () => {
    await page.click('#tab-btn-events');
    await page.waitForSelector('#events-table tbody tr');
    // 6 events, the 3 repeats of one posture finding as one row.
    assert.equal(await page.locator('#events-table tbody tr').count(), 4);
    const posture = page.locator('#events-table tbody tr', { hasText: 'kernel-runs-as-root' });
    assert.match(await posture.innerText(), /×3/);
    assert.equal(await page.locator('#events-table img').count(), 0);
    assert.ok(
      await page.locator('#events-table td:has-text("<img src=x onerror=alert(1)>")').count()
    );
    const users = await page.locator('#events-table tbody tr td:nth-child(7)').allInnerTexts();
    // A null entry is the user the lab's token was issued for (alice here).
    assert.deepEqual(users.sort(), ['alice', 'alice', 'bob', 'carol']);
    const blocked = page.locator('#events-table tbody tr', { hasText: 'pickle-blocked-global' });
    assert.match(await blocked.innerText(), /work\/train\.ipynb · cell c7/);
  });

  it('opens an event detail from the keyboard, and closes it with Escape', async () => {
    const row = page.locator('#events-table tbody tr', { hasText: 'pickle-blocked-global' });
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#event-detail[open]');
    const text = await page.locator('#event-detail').innerText();
    assert.match(text, /models\/evil\.pt/);
    assert.match(text, /os\.system/);
    assert.match(text, /alice/);
    assert.match(text, /What to do/);
    await shot('event-detail');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !(document.querySelector('#event-detail') as any).open);
    // From the detail to every event of its rule.
    await row.click();
    await page.waitForSelector('#event-detail[open]');
    await page.click('#detail-rule-events');
    await page.waitForFunction(
      () => document.querySelectorAll('#events-table tbody tr').length === 1
    );
    assert.equal(await page.inputValue('#event-filters input[name=rule]'), 'pickle-blocked-global');
  });

  it('filters events and shows new matching events live', async () => {
    await page.fill('#event-filters input[name=rule]', '');
    await page.selectOption('#event-filters select[name=severity]', 'critical');
    await page.click('#event-filters button[type=submit]');
    await page.waitForFunction(
      () => document.querySelectorAll('#events-table tbody tr').length === 2
    );
    const live = makeEvent({ severity: 'critical', message: 'arrived while watching' });
    await call(c, 'POST', '/api/v1/events', c.lab, {
      events: [live, makeEvent({ severity: 'info', message: 'filtered out' })]
    });
    await page.waitForSelector(`#events-table tr[data-event-id="${live.event_id}"]`, {
      timeout: 10_000
    });
    assert.equal(await page.locator('#events-table tbody tr').count(), 3);
    await shot('events');
  });

  it('shows labs with unguarded kernels first and flagged', async () => {
    assert.equal((await page.textContent('#labs-badge'))?.trim(), '1');
    await page.click('#tab-btn-labs');
    await page.waitForSelector('#labs-table tbody tr');
    assert.match((await page.textContent('#labs-alert')) ?? '', /1 lab\(s\)[\s\S]*lab-a/);
    const first = page.locator('#labs-table tbody tr').first();
    assert.equal(await first.getAttribute('data-lab'), 'lab-a');
    assert.equal(await first.getAttribute('class'), 'unguarded');
    assert.match(
      await first.innerText(),
      /1 of 2 unguarded[\s\S]*1a2b3c4d not launched with the guard/
    );
    assert.match(await first.innerText(), /queue_full: 1/);
    assert.match(await page.locator('#labs-table tr[data-lab=lab-b]').innerText(), /all 1 guarded/);
    await shot('labs');
    await page.click('#tab-btn-shadow');
    await page.waitForSelector('#shadow-models tbody tr');
    assert.match(await page.locator('#shadow-models').innerText(), /models\/evil\.pt[\s\S]*alice/);
  });

  it('moves between tabs with the arrow keys', async () => {
    await page.focus('#tab-btn-packages');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#tab-policies:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-btn-policies');
    assert.equal(await page.getAttribute('#tab-btn-policies', 'aria-selected'), 'true');
  });

  it('checks a new policy name (its pattern is valid under the v flag)', async () => {
    const valid = (name: string) =>
      page.evaluate(n => {
        const input = document.querySelector('#new-policy input') as HTMLInputElement;
        input.value = n;
        return input.checkValidity();
      }, name);
    assert.equal(await valid('Bad Name'), false);
    assert.equal(await valid('team_a-2'), true);
    assert.equal(await valid('-x'), false);
    await page.fill('#new-policy input', '');
  });

  it('picks rules, reviews the diff, publishes; the lab client accepts it', async () => {
    await page.click('#policy-list button[data-policy=fleet]');
    await page.waitForSelector('#rules-table tbody tr[data-rule=torch-load-unsafe] .result .act');
    const rowOf = (id: string) => page.locator(`#rules-table tbody tr[data-rule="${id}"]`);
    assert.match(await rowOf('torch-load-unsafe').innerText(), /warn · medium/);
    // Name a rule: block it, and raise its severity.
    await page.selectOption('select[aria-label="action for torch-load-unsafe"]', 'block');
    await page.selectOption('select[aria-label="severity for torch-load-unsafe"]', 'critical');
    await page.waitForFunction(() =>
      document
        .querySelector('#rules-table tr[data-rule=torch-load-unsafe] .result')
        ?.textContent?.includes('block · critical')
    );
    assert.match(await rowOf('torch-load-unsafe').innerText(), /named in this policy/);
    assert.match(await rowOf('torch-load-unsafe').innerText(), /refused before it reaches/);
    // default_action raises rules the policy does not name, never lowers them.
    await page.selectOption('#default-action', 'confirm');
    await page.waitForFunction(() =>
      document
        .querySelector('#rules-table tr[data-rule=pickle-load] .result')
        ?.textContent?.includes('raised by default_action')
    );
    assert.match(await rowOf('pickle-load').innerText(), /confirm · high/);
    assert.match(
      await rowOf('pickle-blocked-global').innerText(),
      /block · critical[\s\S]*catalog/
    );
    await page.fill('#rule-search', 'torch-load-uns');
    await page.waitForFunction(
      () => document.querySelectorAll('#rules-table tbody tr').length === 1
    );
    await shot('policy-picker');
    await page.fill('#rule-search', '');
    // The diff before publishing shows exactly the change.
    await page.fill('#policy-comment', 'block unsafe torch.load');
    await page.click('#review');
    await page.waitForSelector('#review-panel:not([hidden])');
    const diff = await page.locator('#review-diff').innerText();
    assert.match(diff, /-\s+"default_action": "warn"/);
    assert.match(diff, /\+\s+"default_action": "confirm"/);
    assert.match(diff, /\+\s+"action": "block"/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'publish');
    await shot('policy-review');
    const before = (await call(c, 'GET', '/api/v1/admin/policies', c.admin)).json.head_revision;
    await page.keyboard.press('Enter');
    await page.waitForSelector('#policy-messages li.ok:has-text("Published revision")');
    const text = await page.locator('#policy-messages li.ok').innerText();
    const revision = Number(/revision (\d+)/.exec(text)![1]);
    assert.ok(revision > before);
    // A lab fetches and verifies it with its own client: signature, audience, schema, scope.
    const keys = Object.fromEntries(
      (await call(c, 'GET', '/api/v1/keys', c.lab)).json.keys.map((k: any) => [
        k.key_id,
        k.public_key
      ])
    );
    const labDir = mkdtempSync(join(tmpdir(), 'warden-lab-'));
    const fetched = await run(PYTHON, [
      join(ROOT, 'tests/central/lab_policy_fetch.py'),
      c.url,
      c.lab,
      'lab-a',
      JSON.stringify(keys),
      labDir
    ]);
    const lab = JSON.parse(fetched.stdout.trim().split('\n').pop()!);
    assert.equal(lab.error, null);
    assert.equal(lab.revision, revision);
    assert.equal(lab.document.default_action, 'confirm');
    assert.deepEqual(lab.document.rules['torch-load-unsafe'], {
      action: 'block',
      severity: 'critical'
    });
    const audit = (await call(c, 'GET', '/api/v1/admin/audit', c.admin)).json.entries;
    assert.ok(
      audit.some(
        (a: any) =>
          a.action === 'policy.update' &&
          a.actor.startsWith('session:') &&
          a.detail.comment === 'block unsafe torch.load'
      )
    );
    // The history shows the same change between the two revisions.
    await page.waitForSelector('#diff .add');
    assert.match(await page.locator('#diff').innerText(), /\+\s+"default_action": "confirm"/);
  });

  it('starts a new policy from the default policy and refuses an unknown rule', async () => {
    await page.fill('#new-policy input', 'team-x');
    await page.click('#new-policy button');
    await page.waitForSelector('#policy-title:has-text("team-x (new")');
    await page.click('#view-json');
    const draft = JSON.parse(await page.inputValue('#policy-doc'));
    assert.match(draft.description, /Built-in default/);
    assert.deepEqual(draft.trusted_sources.model_hubs, ['huggingface.co']);
    // A typo in a rule id: refused before anything is published.
    await page.fill(
      '#policy-doc',
      JSON.stringify({ ...draft, rules: { 'torch-load-unsafe-typo': { action: 'off' } } })
    );
    await page.click('#review');
    await page.waitForSelector('#policy-messages li.err:has-text("not in the catalog")');
    assert.ok(await page.locator('#review-panel').isHidden());
    await page.fill('#policy-doc', JSON.stringify(draft));
    await page.click('#view-rules');
    await page.click('#review');
    await page.click('#publish');
    await page.waitForSelector('#policy-list button[data-policy=team-x]');
    const saved = (await call(c, 'GET', '/api/v1/admin/policies', c.admin)).json.policies.find(
      (p: any) => p.name === 'team-x'
    );
    assert.equal(saved.document.guard.scan_before_load, true);
  });

  it('issues a lab token shown once, and revokes it', async () => {
    await page.click('#tab-btn-tokens');
    await page.waitForSelector('#tokens-table tbody tr');
    await page.fill('#new-token input[name=name]', 'lab-new');
    await page.fill('#new-token input[name=user]', 'dana');
    await page.click('#new-token button[type=submit]');
    await page.waitForSelector('#issued-token:not([hidden])');
    const token = (await page.locator('#issued-token code').innerText()).trim();
    assert.match(token, /^wdl_/);
    const who = await call(c, 'GET', '/api/v1/whoami', token);
    assert.deepEqual([who.status, who.json.lab, who.json.user], [200, 'lab-new', 'dana']);
    const row = page.locator('#tokens-table tr', { hasText: 'lab-new' });
    await row.locator('button:has-text("Revoke")').click();
    await page.waitForSelector('#tokens-table tr:has-text("lab-new"):has-text("revoked")');
    assert.equal((await call(c, 'GET', '/api/v1/whoami', token)).status, 401);
    await shot('tokens');
  });

  it('ran without page or console errors and signs out', async () => {
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });
});
