// Jupyter Warden central dashboard. Plain browser JavaScript: every value that came from a lab
// is put on the page with textContent, never as HTML.
'use strict';

const state = {
  session: sessionStorage.getItem('warden.session'),
  cursor: null,
  filters: {},
  liveTimer: null,
  shown: new Set(),
  policies: [],
  current: null,
  revisions: []
};
const $ = sel => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') {
      e.className = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, v);
    }
  }
  for (const c of children) {
    e.append(
      c instanceof Node
        ? c
        : document.createTextNode(c === null || c === undefined ? '' : String(c))
    );
  }
  return e;
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${state.session}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 401) {
    signOut();
    throw new Error('session ended: sign in again');
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error(json?.message ?? `HTTP ${res.status}`);
    err.status = res.status;
    err.body = json;
    throw err;
  }
  return json;
}

// ---- sign in -------------------------------------------------------------
async function signIn(token) {
  const res = await fetch('/api/v1/auth/session', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` }
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new Error(body.message ?? `HTTP ${res.status}`);
  }
  state.session = body.session_token;
  sessionStorage.setItem('warden.session', state.session);
}

function signOut() {
  if (state.session) {
    fetch('/api/v1/auth/session', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${state.session}` }
    }).catch(() => {});
  }
  state.session = null;
  sessionStorage.removeItem('warden.session');
  clearInterval(state.liveTimer);
  showSignedIn(false);
}

function showSignedIn(on) {
  $('#signin').hidden = on;
  $('#tabs').hidden = !on;
  $('#signout').hidden = !on;
  if (!on) {
    document.querySelectorAll('.tab').forEach(t => (t.hidden = true));
  } else {
    openTab('events');
  }
}

// ---- tabs ------------------------------------------------------------------
const loaders = {
  events: () => loadEvents(true),
  overview: loadOverview,
  labs: loadLabs,
  shadow: loadShadow,
  policies: () => loadPolicies(),
  tokens: loadTokens,
  audit: loadAudit
};
function openTab(name) {
  document
    .querySelectorAll('nav button')
    .forEach(b => b.classList.toggle('active', b.dataset.tab === name));
  document.querySelectorAll('.tab').forEach(t => (t.hidden = t.id !== `tab-${name}`));
  loaders[name]().catch(showError);
}

function showError(e) {
  console.error(e);
  const p = $('#events-summary');
  if (p) {
    p.textContent = `Error: ${e.message}`;
  }
}

const fmtTime = t => (t ? new Date(t).toLocaleString() : '–');
const toIso = local => (local ? new Date(local).toISOString() : '');

// ---- events ------------------------------------------------------------------
function filterQuery(extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...extra })) {
    if (v) {
      q.set(k, v);
    }
  }
  return q.toString();
}

function eventRow(e, isNew) {
  const loc = e.location ?? {};
  const where = [loc.path, loc.cell_id && `cell ${loc.cell_id}`, loc.line && `line ${loc.line}`]
    .filter(Boolean)
    .join(' · ');
  return el(
    'tr',
    { class: isNew ? 'new' : '', 'data-event-id': e.event_id },
    el('td', {}, fmtTime(e.time)),
    el('td', { class: `sev sev-${e.severity}` }, e.severity),
    el('td', {}, e.rule_id),
    el('td', {}, e.kind),
    el('td', {}, e.action),
    el('td', {}, e.lab),
    el('td', {}, e.user ?? ''),
    el('td', {}, where),
    el('td', {}, e.message ?? '')
  );
}

async function loadEvents(reset) {
  if (reset) {
    state.cursor = null;
    state.shown.clear();
    $('#events-table tbody').replaceChildren();
  }
  const page = await api(
    'GET',
    `/api/v1/admin/events?${filterQuery({ limit: 50, cursor: state.cursor })}`
  );
  const body = $('#events-table tbody');
  for (const e of page.events) {
    state.shown.add(`${e.lab}/${e.event_id}`);
    body.append(eventRow(e, false));
  }
  state.cursor = page.next_cursor;
  $('#more').hidden = !page.next_cursor;
  $('#events-summary').textContent =
    `${body.children.length} event(s) shown${page.next_cursor ? ', more available' : ''}.`;
}

// Live updates: poll the first page and put unseen events on top.
async function pollEvents() {
  if ($('#tab-events').hidden || !$('#live').checked || !state.session) {
    return;
  }
  const page = await api('GET', `/api/v1/admin/events?${filterQuery({ limit: 50 })}`);
  const fresh = page.events.filter(e => !state.shown.has(`${e.lab}/${e.event_id}`));
  const body = $('#events-table tbody');
  for (const e of fresh.reverse()) {
    state.shown.add(`${e.lab}/${e.event_id}`);
    body.prepend(eventRow(e, true));
  }
  if (fresh.length) {
    $('#events-summary').textContent =
      `${body.children.length} event(s) shown; ${fresh.length} new.`;
  }
}

async function download(path, filename) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${state.session}` } });
  const blob = await res.blob();
  const a = el('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---- overview ------------------------------------------------------------------
async function loadOverview() {
  const f = new FormData($('#overview-form'));
  const q = new URLSearchParams({ bucket: f.get('bucket') });
  if (f.get('since')) {
    q.set('since', toIso(f.get('since')));
  }
  const s = await api('GET', `/api/v1/admin/events/stats?${q}`);
  const byT = new Map();
  for (const p of s.series) {
    const b = byT.get(p.t) ?? {};
    b[p.severity] = (b[p.severity] ?? 0) + p.count;
    byT.set(p.t, b);
  }
  const max = Math.max(
    1,
    ...[...byT.values()].map(b => Object.values(b).reduce((x, y) => x + y, 0))
  );
  const chart = $('#chart');
  chart.replaceChildren();
  for (const [t, b] of byT) {
    const total = Object.values(b).reduce((x, y) => x + y, 0);
    const bar = el('div', { class: 'bar', title: `${fmtTime(t)}: ${total}` });
    for (const sev of ['info', 'low', 'medium', 'high', 'critical']) {
      if (b[sev]) {
        // Set through CSSOM: the page's CSP allows no inline style attributes.
        const seg = el('div', { class: `seg ${sev}` });
        seg.style.height = `${Math.round((140 * b[sev]) / max)}px`;
        bar.append(seg);
      }
    }
    chart.append(bar);
  }
  const fill = (id, obj) =>
    $(`${id} tbody`).replaceChildren(
      ...Object.entries(obj)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v)))
    );
  fill('#by-rule', s.totals.by_rule);
  fill('#by-severity', s.totals.by_severity);
  fill('#by-lab', s.totals.by_lab);
}

// ---- labs, shadow ML, audit -----------------------------------------------------
async function loadLabs() {
  const { labs } = await api('GET', '/api/v1/admin/labs');
  $('#labs-table tbody').replaceChildren(
    ...labs.map(l =>
      el(
        'tr',
        {},
        el('td', {}, l.lab),
        el('td', {}, fmtTime(l.last_seen)),
        el('td', {}, l.policy_revision ?? '–'),
        el('td', {}, l.queue_depth ?? '–'),
        el(
          'td',
          {},
          Object.entries(l.dropped)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ') || '0'
        ),
        el('td', {}, l.warden_version ?? '–'),
        el('td', {}, l.event_count)
      )
    )
  );
}

async function loadShadow() {
  const inv = await api('GET', '/api/v1/admin/shadow-ml');
  const common = x => [
    el('td', {}, x.users.join(', ')),
    el('td', {}, x.labs.join(', ')),
    el('td', {}, x.count),
    el('td', {}, fmtTime(x.last_seen))
  ];
  $('#shadow-models tbody').replaceChildren(
    ...inv.models.map(m =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, m.sha256 ? m.sha256.slice(0, 16) + '…' : '–')),
        el('td', {}, m.paths.join(', ')),
        el('td', {}, m.format ?? ''),
        ...common(m)
      )
    )
  );
  $('#shadow-hubs tbody').replaceChildren(
    ...inv.hubs.map(h =>
      el('tr', {}, el('td', {}, h.host), el('td', {}, h.repos.join(', ')), ...common(h))
    )
  );
  $('#shadow-indexes tbody').replaceChildren(
    ...inv.package_indexes.map(p =>
      el('tr', {}, el('td', {}, p.url), el('td', {}, p.packages.join(', ')), ...common(p))
    )
  );
}

async function loadAudit() {
  const { entries } = await api('GET', '/api/v1/admin/audit?limit=200');
  $('#audit-table tbody').replaceChildren(
    ...entries.map(a =>
      el(
        'tr',
        {},
        el('td', {}, fmtTime(a.time)),
        el('td', {}, a.actor),
        el('td', {}, a.action),
        el('td', {}, a.target),
        el('td', {}, el('code', {}, JSON.stringify(a.detail)))
      )
    )
  );
}

// ---- tokens ------------------------------------------------------------------
async function loadTokens() {
  const { tokens } = await api('GET', '/api/v1/admin/tokens');
  $('#tokens-table tbody').replaceChildren(
    ...tokens.map(t =>
      el(
        'tr',
        { 'data-token-id': t.id },
        el('td', {}, t.kind),
        el('td', {}, t.name),
        el('td', {}, t.user ?? ''),
        el('td', {}, t.groups.join(', ')),
        el('td', {}, fmtTime(t.created_at)),
        el('td', {}, t.created_by),
        el('td', {}, fmtTime(t.last_used_at)),
        el('td', {}, t.revoked_at ? `revoked ${fmtTime(t.revoked_at)}` : 'active'),
        el(
          'td',
          {},
          t.revoked_at
            ? ''
            : el(
                'button',
                { class: 'danger', onclick: () => revokeToken(t).catch(showError) },
                'Revoke'
              )
        )
      )
    )
  );
}

async function revokeToken(t) {
  if (
    !confirm(
      `Revoke the ${t.kind} token '${t.name}'? Its lab stops reporting until given a new one.`
    )
  ) {
    return;
  }
  await api('DELETE', `/api/v1/admin/tokens/${encodeURIComponent(t.id)}`);
  await loadTokens();
}

async function issueToken(form) {
  const f = new FormData(form);
  const groups = String(f.get('groups') || '')
    .split(',')
    .map(g => g.trim())
    .filter(Boolean);
  const out = await api('POST', '/api/v1/admin/tokens', {
    kind: f.get('kind'),
    name: f.get('name'),
    user: f.get('user') || undefined,
    groups
  });
  $('#issued-token code').textContent = out.token;
  $('#issued-token').hidden = false;
  form.reset();
  await loadTokens();
}

// ---- policies ------------------------------------------------------------------
const pretty = doc => JSON.stringify(doc, null, 2);
// The editor shows what the admin owns; revision and times are the service's.
function editable(doc) {
  const { schema_version, revision, issued_at, expires_at, ...rest } = doc;
  return rest;
}

function message(kind, text) {
  $('#policy-messages').append(el('li', { class: kind }, text));
}

async function loadPolicies(selectName) {
  const { policies, head_revision } = await api('GET', '/api/v1/admin/policies');
  state.policies = policies;
  $('#head-revision').textContent = head_revision;
  $('#policy-list').replaceChildren(
    ...policies.map(p =>
      el(
        'li',
        {},
        el(
          'button',
          {
            class: p.name === state.current?.name ? 'active' : '',
            'data-policy': p.name,
            onclick: () => selectPolicy(p.name)
          },
          `${p.name}  (r${p.revision})`
        )
      )
    )
  );
  const name = selectName ?? state.current?.name;
  if (name && policies.some(p => p.name === name)) {
    await selectPolicy(name);
  }
}

async function selectPolicy(name) {
  const p = state.policies.find(x => x.name === name);
  state.current = { name, revision: p ? p.revision : null, isNew: !p };
  document
    .querySelectorAll('#policy-list button')
    .forEach(b => b.classList.toggle('active', b.dataset.policy === name));
  $('#policy-title').textContent = p
    ? `${name} — revision ${p.revision}, by ${p.updated_by}`
    : `${name} (new)`;
  $('#policy-doc').value = pretty(
    p ? editable(p.document) : { scope: {}, default_action: 'warn', rules: {} }
  );
  $('#policy-messages').replaceChildren();
  state.revisions = p
    ? (await api('GET', `/api/v1/admin/policies/${encodeURIComponent(name)}/revisions`)).revisions
    : [];
  const opts = () =>
    state.revisions.map(r =>
      el(
        'option',
        { value: String(r.revision) },
        `r${r.revision}${r.deleted ? ' (deleted)' : ''} · ${fmtTime(r.created_at)} · ` +
          `${r.created_by}${r.comment ? ' · ' + r.comment : ''}`
      )
    );
  $('#diff-a').replaceChildren(...opts());
  $('#diff-b').replaceChildren(...opts());
  if (state.revisions.length > 1) {
    $('#diff-a').selectedIndex = 1;
  }
  showDiff();
}

function showDiff() {
  const pick = id => state.revisions.find(r => String(r.revision) === $(id).value);
  const a = pick('#diff-a');
  const b = pick('#diff-b');
  const out = $('#diff');
  out.replaceChildren();
  if (!a || !b) {
    return;
  }
  const lines = window.lineDiff(
    a.document ? pretty(editable(a.document)) : '',
    b.document ? pretty(editable(b.document)) : ''
  );
  for (const l of lines) {
    out.append(
      el(
        'span',
        { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same' },
        `${l.op} ${l.line}`
      )
    );
  }
}

function parseEditor() {
  try {
    return JSON.parse($('#policy-doc').value);
  } catch (e) {
    message('err', `Not valid JSON: ${e.message}`);
    return undefined;
  }
}

async function validatePolicy() {
  $('#policy-messages').replaceChildren();
  const doc = parseEditor();
  if (doc === undefined) {
    return false;
  }
  const r = await api('POST', '/api/v1/admin/policies/validate', { document: doc });
  for (const e of r.errors) {
    message('err', `${e.path}: ${e.message}`);
  }
  for (const w of r.warnings ?? []) {
    message('warn', `${w.path}: ${w.message}`);
  }
  if (r.valid) {
    message('ok', 'Policy is valid.');
  }
  return r.valid;
}

async function savePolicy() {
  if (!state.current) {
    return;
  }
  if (!(await validatePolicy())) {
    return;
  }
  const doc = parseEditor();
  const comment = $('#policy-comment').value || undefined;
  try {
    const saved = state.current.isNew
      ? await api('POST', '/api/v1/admin/policies', {
          name: state.current.name,
          document: doc,
          comment
        })
      : await api('PUT', `/api/v1/admin/policies/${encodeURIComponent(state.current.name)}`, {
          document: doc,
          base_revision: state.current.revision,
          comment
        });
    $('#policy-comment').value = '';
    await loadPolicies(saved.name);
    message('ok', `Saved as revision ${saved.revision}.`);
  } catch (e) {
    message(
      'err',
      e.status === 409 ? `${e.message} — reload the policy and apply your change again.` : e.message
    );
  }
}

async function deletePolicy() {
  if (!state.current || state.current.isNew || !confirm(`Delete policy ${state.current.name}?`)) {
    return;
  }
  await api('DELETE', `/api/v1/admin/policies/${encodeURIComponent(state.current.name)}`);
  state.current = null;
  $('#policy-title').textContent = 'Select a policy';
  $('#policy-doc').value = '';
  await loadPolicies();
}

// ---- wiring ------------------------------------------------------------------
document.addEventListener('DOMContentLoaded', () => {
  $('#signin-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    $('#signin-error').textContent = '';
    try {
      await signIn($('#token').value.trim());
      $('#token').value = '';
      showSignedIn(true);
    } catch (e) {
      $('#signin-error').textContent = `Sign-in failed: ${e.message}`;
    }
  });
  $('#signout').addEventListener('click', signOut);
  document
    .querySelectorAll('nav button')
    .forEach(b => b.addEventListener('click', () => openTab(b.dataset.tab)));
  $('#event-filters').addEventListener('submit', ev => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    state.filters = {
      user: f.get('user'),
      lab: f.get('lab'),
      rule: f.get('rule'),
      severity: f.get('severity'),
      kind: f.get('kind'),
      since: toIso(f.get('since')),
      until: toIso(f.get('until'))
    };
    loadEvents(true).catch(showError);
  });
  $('#more').addEventListener('click', () => loadEvents(false).catch(showError));
  $('#export-ocsf').addEventListener('click', () =>
    download(`/api/v1/admin/export/ocsf?${filterQuery()}`, 'warden-findings.ocsf.jsonl')
  );
  $('#export-sarif').addEventListener('click', () =>
    download(`/api/v1/admin/export/sarif?${filterQuery()}`, 'warden-static.sarif')
  );
  $('#overview-form').addEventListener('submit', ev => {
    ev.preventDefault();
    loadOverview().catch(showError);
  });
  $('#new-policy').addEventListener('submit', ev => {
    ev.preventDefault();
    const name = new FormData(ev.target).get('name');
    state.policies = state.policies.filter(p => p.name !== name);
    selectPolicy(name).catch(showError);
    ev.target.reset();
  });
  $('#validate').addEventListener('click', () =>
    validatePolicy().catch(e => message('err', e.message))
  );
  $('#save').addEventListener('click', () => savePolicy().catch(e => message('err', e.message)));
  $('#delete').addEventListener('click', () =>
    deletePolicy().catch(e => message('err', e.message))
  );
  $('#new-token').addEventListener('submit', ev => {
    ev.preventDefault();
    issueToken(ev.target).catch(e => alert(e.message));
  });
  $('#diff-a').addEventListener('change', showDiff);
  $('#diff-b').addEventListener('change', showDiff);
  state.liveTimer = setInterval(() => pollEvents().catch(() => {}), 2000);
  if (state.session) {
    api('GET', '/api/v1/whoami')
      .then(() => showSignedIn(true))
      .catch(() => showSignedIn(false));
  }
});
