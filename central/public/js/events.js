// Events: filtered list (newest first, live), repeated posture findings rolled up, and the
// detail view of one event.
import { api, download, getCatalog, hasSession } from './api.js';
import { $, el, fields, fmtTime, severityBadge, toIso } from './dom.js';

const state = { filters: { rollup: '1' }, cursor: null, shown: new Map() };

function query(extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...extra })) {
    if (v) {
      q.set(k, v);
    }
  }
  return q.toString();
}

/** Where a finding is: notebook path (relative to the lab's root), cell and line. */
export function where(e) {
  const loc = e.location ?? {};
  return [loc.path, loc.cell_id && `cell ${loc.cell_id}`, loc.line && `line ${loc.line}`]
    .filter(Boolean)
    .join(' · ');
}

function row(e, isNew) {
  const open = () => openDetail(e).catch(err => console.warn(err));
  const repeats = e.repeats > 1 ? el('span', { class: 'badge' }, `×${e.repeats}`) : '';
  return el(
    'tr',
    {
      class: isNew ? 'new' : '',
      'data-event-id': e.event_id,
      tabindex: '0',
      'aria-label': `${e.severity} ${e.rule_id} ${e.action}, ${fmtTime(e.time)}: open details`,
      onclick: open,
      onkeydown: ev => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          open();
        }
      }
    },
    el('td', { class: 'nowrap' }, fmtTime(e.time)),
    el('td', {}, severityBadge(e.severity)),
    el('td', {}, el('code', {}, e.rule_id), ' ', repeats),
    el('td', {}, e.kind),
    el('td', {}, el('span', { class: `act act-${e.action}` }, e.action)),
    el('td', {}, e.lab),
    el('td', {}, e.user ?? '–'),
    el('td', { class: 'where' }, where(e)),
    el('td', { class: 'msg' }, e.message ?? '')
  );
}

const key = e => `${e.lab}/${e.event_id}`;

/** Adds the schema's values the page does not list yet to the severity/kind/action filters. */
export async function fillEventChoices() {
  const { event } = await getCatalog();
  const form = $('#event-filters');
  for (const [name, values] of [
    ['severity', event?.severities],
    ['kind', event?.kinds],
    ['action', event?.actions]
  ]) {
    const select = form.elements[name];
    const have = new Set([...select.options].map(o => o.value));
    for (const v of values ?? []) {
      if (!have.has(v)) {
        select.append(el('option', {}, v));
      }
    }
  }
}

export async function loadEvents(reset) {
  const body = $('#events-table tbody');
  if (reset) {
    state.cursor = null;
    state.shown.clear();
    body.replaceChildren();
  }
  const page = await api(
    'GET',
    `/api/v1/admin/events?${query({ limit: 50, cursor: state.cursor })}`
  );
  for (const e of page.events) {
    state.shown.set(key(e), e);
    body.append(row(e, false));
  }
  state.cursor = page.next_cursor;
  $('#more').hidden = !page.next_cursor;
  $('#events-summary').textContent =
    `${body.children.length} event(s) shown${page.next_cursor ? ', more available' : ''}.`;
}

/** Live: the first page again, unseen events on top (a rolled-up row is replaced). */
export async function pollEvents() {
  if ($('#tab-events').hidden || !$('#live').checked || !hasSession()) {
    return;
  }
  const page = await api('GET', `/api/v1/admin/events?${query({ limit: 50 })}`);
  const body = $('#events-table tbody');
  const fresh = page.events.filter(e => {
    const seen = state.shown.get(key(e));
    return !seen || (seen.repeats ?? 1) !== (e.repeats ?? 1);
  });
  for (const e of fresh.reverse()) {
    body.querySelector(`tr[data-event-id="${CSS.escape(e.event_id)}"]`)?.remove();
    state.shown.set(key(e), e);
    body.prepend(row(e, true));
  }
  if (fresh.length) {
    $('#events-summary').textContent =
      `${body.children.length} event(s) shown; ${fresh.length} new.`;
  }
}

export function applyFilters(form) {
  const f = new FormData(form);
  state.filters = {
    user: f.get('user'),
    lab: f.get('lab'),
    rule: f.get('rule'),
    severity: f.get('severity'),
    kind: f.get('kind'),
    action: f.get('action'),
    since: toIso(f.get('since')),
    until: toIso(f.get('until')),
    rollup: f.get('rollup') ? '1' : ''
  };
  return loadEvents(true);
}

export function exportEvents(format) {
  const { rollup, ...filters } = state.filters;
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
  return format === 'ocsf'
    ? download(`/api/v1/admin/export/ocsf?${q}`, 'warden-findings.ocsf.jsonl')
    : download(`/api/v1/admin/export/sarif?${q}`, 'warden-static.sarif');
}

// ---- detail ------------------------------------------------------------------------
let detailRule = null;

function evidenceTable(evidence) {
  const entries = Object.entries(evidence ?? {});
  if (!entries.length) {
    return el('p', { class: 'muted' }, 'No evidence recorded.');
  }
  return el(
    'table',
    { class: 'evidence' },
    el(
      'tbody',
      {},
      entries.map(([k, v]) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, k),
          el('td', {}, el('code', {}, Array.isArray(v) ? v.join(', ') : String(v)))
        )
      )
    )
  );
}

export async function openDetail(e) {
  const { byId } = await getCatalog();
  const rule = byId.get(e.rule_id);
  detailRule = e.rule_id;
  $('#detail-title').textContent = rule ? rule.title : e.rule_id;
  const refs = rule
    ? [...(rule.references.cwe ?? []), ...(rule.references.cve ?? [])].join(', ')
    : '';
  $('#detail-body').replaceChildren(
    el(
      'p',
      { class: 'detail-tags' },
      severityBadge(e.severity),
      ' ',
      el('span', { class: `act act-${e.action}` }, e.action),
      ' ',
      el('code', {}, e.rule_id),
      ' · ',
      e.kind
    ),
    e.message ? el('p', { class: 'detail-message' }, e.message) : '',
    fields([
      ['lab', e.lab],
      ['user', e.user ?? '–'],
      ['where', where(e) || '–'],
      ['kernel', e.location?.kernel_id],
      ['time', fmtTime(e.time)],
      ['received', fmtTime(e.received_at)],
      ['repeated', e.repeats > 1 ? `${e.repeats} times since ${fmtTime(e.first_time)}` : undefined],
      [
        'count (lab)',
        e.count > 1 ? `${e.count} (${fmtTime(e.first_seen)} – ${fmtTime(e.last_seen)})` : undefined
      ],
      ['policy revision', e.policy_revision],
      ['justification', e.justification],
      ['fingerprint', e.fingerprint],
      ['event id', e.event_id]
    ]),
    el('h3', {}, 'Evidence'),
    evidenceTable(e.evidence),
    rule ? el('h3', {}, 'Why it matters') : '',
    rule ? el('p', {}, rule.explanation) : '',
    rule ? el('h3', {}, 'What to do') : '',
    rule ? el('p', {}, rule.remediation) : '',
    refs ? el('p', { class: 'muted' }, `References: ${refs}`) : ''
  );
  const dialog = $('#event-detail');
  if (!dialog.open) {
    dialog.showModal();
  }
}

export function showRuleEvents() {
  $('#event-detail').close();
  const form = $('#event-filters');
  form.elements.rule.value = detailRule ?? '';
  return applyFilters(form);
}
