import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, makeEvent, startCentral, type Central } from './helpers.js';

// The dashboard in a real Chromium: sign in, filter events, live updates, edit a policy and
// see the new revision served to a lab by GET /api/v1/policy.

const SHOTS = new URL('../../test-results/', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('dashboard in Chromium', () => {
  let c: Central;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    c = await startCentral('sqlite');
    await call(c, 'POST', '/api/v1/events', c.lab, {
      events: [
        makeEvent({
          severity: 'critical',
          kind: 'runtime',
          rule_id: 'pickle-blocked-global',
          action: 'blocked',
          message: 'blocked os.system in evil.pt',
          evidence: { sha256: 'cd'.repeat(32), model_path: 'models/evil.pt' }
        }),
        makeEvent({ severity: 'high', message: 'torch.load without weights_only' }),
        makeEvent({
          severity: 'low',
          kind: 'sandbox',
          rule_id: 'kernel-runs-as-root',
          message: '<img src=x onerror=alert(1)>'
        })
      ]
    });
    await call(c, 'POST', '/api/v1/status', c.lab, {
      policy_revision: 0,
      queue_depth: 2,
      dropped: { queue_full: 1 },
      warden_version: '0.1.0'
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
    page.on('dialog', d => d.accept());
  });

  after(async () => {
    await browser?.close();
    await c?.close();
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
    await page.waitForSelector('#events-table tbody tr');
    assert.equal(await page.locator('#events-table tbody tr').count(), 3);
    // Lab-supplied text is shown as text, never run as HTML.
    assert.equal(await page.locator('#events-table img').count(), 0);
    assert.ok(
      await page.locator('#events-table td:has-text("<img src=x onerror=alert(1)>")').count()
    );
    await page.screenshot({ path: SHOTS + 'dashboard-events.png', fullPage: true });
  });

  it('filters events and shows new matching events live', async () => {
    await page.selectOption('#event-filters select[name=severity]', 'critical');
    await page.click('#event-filters button[type=submit]');
    await page.waitForFunction(
      () => document.querySelectorAll('#events-table tbody tr').length === 1
    );
    assert.match(
      await page.locator('#events-table tbody tr').first().innerText(),
      /pickle-blocked-global/
    );
    const live = makeEvent({ severity: 'critical', message: 'arrived while watching' });
    await call(c, 'POST', '/api/v1/events', c.lab, {
      events: [live, makeEvent({ severity: 'info', message: 'filtered out' })]
    });
    await page.waitForSelector(`#events-table tr[data-event-id="${live.event_id}"]`, {
      timeout: 10_000
    });
    assert.equal(await page.locator('#events-table tbody tr').count(), 2);
    await page.screenshot({ path: SHOTS + 'dashboard-filtered.png', fullPage: true });
  });

  it('shows counts, the lab inventory and the Shadow ML inventory', async () => {
    await page.click('nav button[data-tab=overview]');
    await page.waitForSelector('#by-severity tbody tr');
    assert.match(await page.locator('#by-severity').innerText(), /critical\s+2/);
    assert.ok((await page.locator('#chart .bar').count()) >= 1);
    await page.screenshot({ path: SHOTS + 'dashboard-overview.png', fullPage: true });
    await page.click('nav button[data-tab=labs]');
    await page.waitForSelector('#labs-table tbody tr');
    assert.match(
      await page.locator('#labs-table tbody tr').first().innerText(),
      /lab-a[\s\S]*queue_full: 1/
    );
    await page.click('nav button[data-tab=shadow]');
    await page.waitForSelector('#shadow-models tbody tr');
    assert.match(await page.locator('#shadow-models').innerText(), /models\/evil\.pt[\s\S]*alice/);
    await page.screenshot({ path: SHOTS + 'dashboard-shadow-ml.png', fullPage: true });
  });

  it('edits a policy: errors, save, diff; the lab is served the new revision', async () => {
    await page.click('nav button[data-tab=policies]');
    await page.click('#policy-list button[data-policy=fleet]');
    await page.waitForFunction(() =>
      (document.querySelector('#policy-doc') as HTMLTextAreaElement).value.includes(
        'default_action'
      )
    );
    const doc = JSON.parse(await page.inputValue('#policy-doc'));
    await page.fill(
      '#policy-doc',
      JSON.stringify({ ...doc, default_action: 'sometimes' }, null, 2)
    );
    await page.click('#validate');
    await page.waitForSelector('#policy-messages li.err');
    assert.match(await page.locator('#policy-messages').innerText(), /default_action/);
    const before = (await call(c, 'GET', '/api/v1/admin/policies', c.admin)).json.head_revision;
    const next = {
      ...doc,
      default_action: 'block',
      rules: { 'torch-load-unsafe': { action: 'block', severity: 'critical' } }
    };
    await page.fill('#policy-doc', JSON.stringify(next, null, 2));
    await page.fill('#policy-comment', 'block unsafe torch.load');
    await page.click('#save');
    await page.waitForSelector('#policy-messages li.ok:has-text("Saved as revision")');
    const savedText = await page
      .locator('#policy-messages li.ok:has-text("Saved as revision")')
      .innerText();
    const revision = Number(/revision (\d+)/.exec(savedText)![1]);
    assert.ok(revision > before);
    // The diff between the two revisions shows the change.
    await page.waitForSelector('#diff .add');
    assert.match(await page.locator('#diff').innerText(), /\+\s+"default_action": "block"/);
    assert.match(await page.locator('#diff').innerText(), /-\s+"default_action": "warn"/);
    await page.screenshot({ path: SHOTS + 'dashboard-policy-diff.png', fullPage: true });
    // What a lab receives now.
    const served = await call(c, 'GET', '/api/v1/policy', c.lab);
    const payload = JSON.parse(Buffer.from(served.json.payload, 'base64url').toString());
    assert.equal(payload.revision, revision);
    assert.equal(payload.default_action, 'block');
    assert.equal(payload.rules['torch-load-unsafe'].severity, 'critical');
    const audit = (await call(c, 'GET', '/api/v1/admin/audit', c.admin)).json.entries;
    assert.ok(
      audit.some(
        (a: any) =>
          a.action === 'policy.update' &&
          a.actor.startsWith('session:') &&
          a.detail.comment === 'block unsafe torch.load'
      )
    );
  });

  it('issues a lab token shown once, and revokes it', async () => {
    await page.click('nav button[data-tab=tokens]');
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
    await page.screenshot({ path: SHOTS + 'dashboard-tokens.png', fullPage: true });
  });

  it('ran without page errors and signs out', async () => {
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');
    assert.deepEqual(pageErrors, []);
  });
});
