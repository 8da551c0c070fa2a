// Artifacts: the fleet registry's files with filters, and one file's chain (download source ->
// file -> load decisions) with the fleet decision (trust / ban), which labs receive signed.
import { api } from './api.js';
import { $, el, fields, fmtTime } from './dom.js';

const state = { filters: {}, cursor: null, rows: new Map(), open: null };

const short = sha => `${sha.slice(0, 12)}…`;
const orDash = v => (v === null || v === undefined || v === '' ? '–' : v);

function query(extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...extra })) {
    if (v) {
      q.set(k, v);
    }
  }
  return q.toString();
}

function verdictBadge(scan) {
  return scan ? el('span', { class: `verdict verdict-${scan.verdict}` }, scan.verdict) : '–';
}

function decisionBadge(d) {
  return d ? el('span', { class: `fleet fleet-${d}` }, d) : '–';
}

/** Loads by decision, e.g. "2 allowed · 1 blocked" (repeats counted). */
function loadSummary(loads) {
  const by = {};
  for (const l of loads) {
    by[l.decision] = (by[l.decision] ?? 0) + l.count;
  }
  const parts = Object.entries(by).map(([d, n]) => `${n} ${d}`);
  return parts.length ? parts.join(' · ') : '–';
}

function sourceText(s) {
  const at = s.commit ? `@${s.commit.slice(0, 10)}` : s.revision ? `@${s.revision}` : '';
  return `${s.repo}${at}`;
}

function row(a) {
  const open = () => openArtifact(a.sha256);
  return el(
    'tr',
    {
      'data-sha256': a.sha256,
      tabindex: '0',
      'aria-label': `${a.name ?? a.sha256}: open its chain and fleet decision`,
      onclick: open,
      onkeydown: ev => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          open();
        }
      }
    },
    el('td', {}, a.name ?? '–'),
    el('td', {}, el('code', { title: a.sha256 }, short(a.sha256))),
    el('td', {}, a.kind ?? '–'),
    el('td', {}, verdictBadge(a.scan)),
    el('td', {}, a.signature ? a.signature.status : '–'),
    el('td', {}, decisionBadge(a.fleet_decision)),
    el('td', {}, a.sources.length ? sourceText(a.sources[0]) : '–'),
    el('td', {}, loadSummary(a.loads)),
    el('td', { class: 'nowrap' }, fmtTime(a.last_seen))
  );
}

export async function loadArtifacts(reset = true) {
  const body = $('#artifacts-table tbody');
  if (reset) {
    state.cursor = null;
    state.rows.clear();
    body.replaceChildren();
  }
  const page = await api('GET', `/api/v1/admin/artifacts?${query({ cursor: state.cursor })}`);
  for (const a of page.artifacts) {
    state.rows.set(a.sha256, a);
    body.append(row(a));
  }
  state.cursor = page.next_cursor;
  $('#artifacts-more').hidden = !page.next_cursor;
  const n = state.rows.size;
  const more = page.next_cursor ? ' (more below)' : '';
  $('#artifacts-summary').textContent = n
    ? `${n} file${n === 1 ? '' : 's'}${more}`
    : 'No files match.';
}

export function applyArtifactFilters(form) {
  const f = Object.fromEntries(new FormData(form));
  state.filters = {
    sha256: (f.sha256 ?? '').trim().toLowerCase(),
    repo: (f.repo ?? '').trim(),
    decision: f.decision,
    verdict: f.verdict
  };
  return loadArtifacts(true);
}

function chainTable(caption, head, rows) {
  if (!rows.length) {
    return el('p', { class: 'muted' }, `${caption}: none reported.`);
  }
  const table = el(
    'table',
    { class: 'chain' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map(h => el('th', {}, h)))),
    el('tbody', {}, rows)
  );
  // Wide chains scroll inside the dialog instead of overflowing it.
  return el('div', { class: 'chain-wrap' }, table);
}

function renderDetail(a) {
  $('#artifact-title').textContent = a.name ?? short(a.sha256);
  const sources = a.sources.map(s =>
    el(
      'tr',
      {},
      el('td', {}, s.repo),
      el('td', {}, orDash(s.revision)),
      el('td', {}, s.commit ? el('code', { title: s.commit }, s.commit.slice(0, 12)) : '–'),
      el('td', {}, orDash(s.filename)),
      el('td', {}, s.lab),
      el('td', {}, orDash(s.user)),
      el('td', {}, orDash(s.kernel)),
      el('td', {}, orDash(s.cell)),
      el('td', { class: 'nowrap' }, fmtTime(s.last_at))
    )
  );
  const loads = a.loads.map(l =>
    el(
      'tr',
      { class: `load-${l.decision}` },
      el('td', {}, el('span', { class: `act act-${l.decision}` }, l.decision)),
      el('td', {}, l.lab),
      el('td', {}, orDash(l.user)),
      el('td', {}, orDash(l.kernel)),
      el('td', {}, orDash(l.cell)),
      el('td', { class: 'num' }, l.count),
      el('td', { class: 'nowrap' }, fmtTime(l.last_at))
    )
  );
  $('#artifact-body').replaceChildren(
    el('h3', {}, '1. Downloaded from'),
    chainTable(
      'Download source',
      ['repository', 'revision', 'commit', 'file in repo', 'lab', 'user', 'kernel', 'cell', 'last'],
      sources
    ),
    el('h3', {}, '2. The file'),
    fields([
      ['sha256', el('code', {}, a.sha256)],
      ['name', a.name],
      ['kind', a.kind],
      ['size', a.size === null ? null : `${a.size.toLocaleString()} bytes`],
      [
        'scan',
        a.scan
          ? el(
              'span',
              {},
              verdictBadge(a.scan),
              ` scanner ${a.scan.scanner_version}, ${fmtTime(a.scan.at)}`,
              a.scan_detail?.lab ? ` (lab ${a.scan_detail.lab})` : '',
              a.scan_detail?.rules.length ? ` — rules: ${a.scan_detail.rules.join(', ')}` : ''
            )
          : 'not scanned'
      ],
      [
        'signature',
        a.signature
          ? `${a.signature.status}${a.signature.signer ? ` by ${a.signature.signer}` : ''}`
          : 'not checked'
      ],
      [
        'fleet decision',
        a.decision
          ? el(
              'span',
              {},
              decisionBadge(a.decision.decision),
              ` by ${a.decision.by}, ${fmtTime(a.decision.at)}`,
              a.decision.note ? ` — ${a.decision.note}` : ''
            )
          : 'none'
      ],
      ['first seen', fmtTime(a.first_seen)],
      ['last seen', fmtTime(a.last_seen)]
    ]),
    el('h3', {}, '3. Loaded'),
    chainTable(
      'Load decisions',
      ['decision', 'lab', 'user', 'kernel', 'cell', 'times', 'last'],
      loads
    )
  );
}

export async function openArtifact(sha256) {
  const { artifacts } = await api('GET', `/api/v1/admin/artifacts?sha256=${sha256}`);
  if (!artifacts.length) {
    throw new Error(`no artifact ${sha256}`);
  }
  state.open = artifacts[0];
  renderDetail(state.open);
  $('#artifact-decision-status').textContent = '';
  $('#artifact-decision').elements.note.value = state.open.decision?.note ?? '';
  const dialog = $('#artifact-detail');
  if (!dialog.open) {
    dialog.showModal();
  }
}

/** Trust, ban or clear the open file for the whole fleet (PUT …/decision), then refresh. */
export async function decideArtifact(ev) {
  ev.preventDefault();
  const choice = ev.submitter?.value;
  if (!state.open || !choice) {
    return;
  }
  const decision = choice === 'clear' ? null : choice;
  const note = ev.target.elements.note.value.trim();
  const out = await api('PUT', `/api/v1/admin/artifacts/${state.open.sha256}/decision`, {
    decision,
    note
  });
  await openArtifact(state.open.sha256);
  $('#artifact-decision-status').textContent = decision
    ? `Marked ${decision} for the fleet (decisions revision ${out.revision}).`
    : `Decision cleared (decisions revision ${out.revision}).`;
  await loadArtifacts(true);
}
