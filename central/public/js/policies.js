// Policies: named policies, an editor with a rule picker (catalog defaults and what the draft
// decides for each rule, as central decides it: POST /admin/policies/decisions), a diff to
// review before publishing, and the history of revisions.
import { api, getCatalog } from './api.js';
import { $, $$, el, fmtTime } from './dom.js';
import { lineDiff } from './diff.js';

const RULE_ACTIONS = ['off', 'warn', 'confirm', 'block'];
const SEVERITY_LEVELS = ['info', 'low', 'medium', 'high', 'critical'];
const DECIDED_BY = {
  rule: 'named in this policy',
  default_action: 'raised by default_action',
  catalog: 'catalog default'
};

const state = { policies: [], current: null, draft: {}, revisions: [], decisions: new Map() };

/** What a rule's action means where it is enforced (docs/threat-model.md has the limits). */
export function consequence(layer, action) {
  const text = {
    static: {
      off: 'not flagged',
      warn: 'flagged in the editor; the cell runs',
      confirm: 'the cell runs only after the user confirms (browser and server gate)',
      block: 'the cell is refused before it reaches the kernel (browser and server gate)'
    },
    runtime: {
      off: 'not checked by the kernel guard',
      warn: 'the load goes ahead and is reported',
      confirm: 'the kernel guard refuses the load until the user confirms it',
      block: 'the kernel guard refuses the load'
    }
  };
  if (text[layer]) {
    return text[layer][action];
  }
  return action === 'off'
    ? 'not reported'
    : `reported as a ${layer} finding (posture checks report, they do not stop anything)`;
}

const pretty = doc => JSON.stringify(doc, null, 2);

/** What the admin owns; revision, times and audience are the service's. */
function editable(doc) {
  const out = { ...(doc ?? {}) };
  for (const k of ['schema_version', 'revision', 'issued_at', 'expires_at', 'audience']) {
    delete out[k];
  }
  return out;
}

function message(kind, text) {
  $('#policy-messages').append(el('li', { class: kind }, text));
}

export async function loadPolicies(selectName) {
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
            'aria-current': p.name === state.current?.name ? 'true' : undefined,
            onclick: () => selectPolicy(p.name)
          },
          `${p.name}`,
          el('span', { class: 'muted' }, ` r${p.revision}`)
        )
      )
    )
  );
  const name = selectName ?? state.current?.name;
  if (name && policies.some(p => p.name === name)) {
    await selectPolicy(name);
  }
}

export async function newPolicy(name) {
  const { default_policy } = await getCatalog();
  state.current = { name, revision: null, isNew: true, saved: null };
  await openEditor(`${name} (new, from the default policy)`, structuredClone(default_policy));
  state.revisions = [];
  renderHistory();
}

export async function selectPolicy(name) {
  const p = state.policies.find(x => x.name === name);
  if (!p) {
    return newPolicy(name);
  }
  state.current = { name, revision: p.revision, isNew: false, saved: editable(p.document) };
  $$('#policy-list button').forEach(b => b.classList.toggle('active', b.dataset.policy === name));
  await openEditor(
    `${name} — revision ${p.revision}, by ${p.updated_by}`,
    structuredClone(state.current.saved)
  );
  state.revisions = (
    await api('GET', `/api/v1/admin/policies/${encodeURIComponent(name)}/revisions`)
  ).revisions;
  renderHistory();
}

async function openEditor(title, draft) {
  $('#editor').hidden = false;
  $('#policy-title').textContent = title;
  $('#policy-messages').replaceChildren();
  $('#review-panel').hidden = true;
  await setDraft(draft);
}

async function setDraft(draft) {
  state.draft = draft;
  $('#policy-doc').value = pretty(draft);
  $('#default-action').value = draft.default_action ?? '';
  await renderRules();
}

// ---- rule picker ----------------------------------------------------------------------
function choice(label, values, current, onchange) {
  return el(
    'select',
    { 'aria-label': label, onchange: ev => onchange(ev.target.value) },
    el('option', { value: '' }, 'inherit'),
    values.map(v => el('option', { value: v, selected: v === current }, v))
  );
}

function setRule(id, field, value) {
  const rules = { ...(state.draft.rules ?? {}) };
  const setting = { ...(rules[id] ?? {}) };
  if (value) {
    setting[field] = value;
  } else {
    delete setting[field];
  }
  if (Object.keys(setting).length) {
    rules[id] = setting;
  } else {
    delete rules[id];
  }
  state.draft = { ...state.draft, rules };
  $('#policy-doc').value = pretty(state.draft);
  refreshDecisions().catch(e => message('err', e.message));
}

async function renderRules() {
  const { rules } = await getCatalog();
  const search = $('#rule-search').value.trim().toLowerCase();
  const layer = $('#rule-layer').value;
  const onlyNamed = $('#rule-changed').checked;
  const named = state.draft.rules ?? {};
  const shown = rules.filter(
    r =>
      (!layer || r.layer === layer) &&
      (!onlyNamed || r.id in named) &&
      (!search || `${r.id} ${r.title}`.toLowerCase().includes(search))
  );
  $('#rules-table tbody').replaceChildren(
    ...shown.map(r => {
      const mine = named[r.id] ?? {};
      return el(
        'tr',
        { 'data-rule': r.id, class: r.id in named ? 'named' : '' },
        el('th', { scope: 'row' }, el('code', {}, r.id), el('div', { class: 'muted' }, r.title)),
        el('td', {}, r.layer),
        el('td', { class: 'nowrap' }, `${r.action} · ${r.severity}`),
        el(
          'td',
          { class: 'nowrap' },
          choice(`action for ${r.id}`, RULE_ACTIONS, mine.action, v => setRule(r.id, 'action', v)),
          ' ',
          choice(`severity for ${r.id}`, SEVERITY_LEVELS, mine.severity, v =>
            setRule(r.id, 'severity', v)
          )
        ),
        el('td', { class: 'result' }),
        el('td', { class: 'effect' })
      );
    })
  );
  await refreshDecisions();
}

let asked = 0;
async function refreshDecisions() {
  const mine = ++asked;
  const r = await api('POST', '/api/v1/admin/policies/decisions', { document: state.draft });
  if (mine !== asked) {
    return; // a newer draft was sent meanwhile
  }
  state.decisions = new Map(r.decisions.map(d => [d.rule_id, d]));
  const { byId } = await getCatalog();
  for (const tr of $$('#rules-table tbody tr')) {
    const d = state.decisions.get(tr.dataset.rule);
    const rule = byId.get(tr.dataset.rule);
    tr.querySelector('.result').replaceChildren(
      d
        ? el(
            'span',
            {},
            el('span', { class: `act act-${d.action}` }, d.action),
            ` · ${d.severity}`,
            el('div', { class: 'muted' }, DECIDED_BY[d.decided_by])
          )
        : el('span', { class: 'muted' }, 'invalid draft')
    );
    tr.querySelector('.effect').textContent = d ? consequence(rule.layer, d.action) : '';
  }
  $('#policy-messages').replaceChildren();
  for (const e of r.errors) {
    message('err', `${e.path}: ${e.message}`);
  }
}

// ---- JSON view, review, publish --------------------------------------------------------
export function showView(which) {
  const json = which === 'json';
  $('#view-rules').setAttribute('aria-selected', String(!json));
  $('#view-json').setAttribute('aria-selected', String(json));
  $('#rule-picker').hidden = json;
  $('#json-view').hidden = !json;
  if (!json) {
    // Back from JSON: the picker shows what was typed.
    const doc = parseJson();
    if (doc !== undefined) {
      setDraft(doc).catch(e => message('err', e.message));
    }
  }
}

function parseJson() {
  try {
    const doc = JSON.parse($('#policy-doc').value);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new Error('the document must be a JSON object');
    }
    return doc;
  } catch (e) {
    $('#policy-messages').replaceChildren();
    message('err', `Not valid JSON: ${e.message}`);
    return undefined;
  }
}

export function setDefaultAction(value) {
  const draft = { ...state.draft };
  if (value) {
    draft.default_action = value;
  } else {
    delete draft.default_action;
  }
  state.draft = draft;
  $('#policy-doc').value = pretty(draft);
  refreshDecisions().catch(e => message('err', e.message));
}

export async function startFromDefault() {
  const { default_policy } = await getCatalog();
  // The scope stays: who a policy is for is not part of the default.
  await setDraft({ ...structuredClone(default_policy), scope: state.draft.scope ?? {} });
  message('ok', 'Started from the default policy; review the changes before publishing.');
}

export function renderDiff(target, before, after) {
  target.replaceChildren(
    ...lineDiff(before, after).map(l =>
      el(
        'span',
        { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same' },
        `${l.op} ${l.line}`
      )
    )
  );
}

export async function review() {
  if (!state.current) {
    return;
  }
  if (!$('#json-view').hidden) {
    const doc = parseJson();
    if (doc === undefined) {
      return;
    }
    state.draft = doc;
  }
  $('#policy-messages').replaceChildren();
  const v = await api('POST', '/api/v1/admin/policies/validate', { document: state.draft });
  for (const e of v.errors) {
    message('err', `${e.path}: ${e.message}`);
  }
  if (!v.valid) {
    return;
  }
  const before = state.current.saved ? pretty(state.current.saved) : '';
  const after = pretty(state.draft);
  if (before === after) {
    message('ok', 'No changes to publish.');
    return;
  }
  renderDiff($('#review-diff'), before, after);
  $('#review-panel').hidden = false;
  $('#publish').focus();
}

export async function publish() {
  const { name, isNew, revision } = state.current;
  const comment = $('#policy-comment').value || undefined;
  try {
    const saved = isNew
      ? await api('POST', '/api/v1/admin/policies', { name, document: state.draft, comment })
      : await api('PUT', `/api/v1/admin/policies/${encodeURIComponent(name)}`, {
          document: state.draft,
          base_revision: revision,
          comment
        });
    $('#policy-comment').value = '';
    await loadPolicies(saved.name);
    message('ok', `Published revision ${saved.revision}: labs pick it up at their next poll.`);
  } catch (e) {
    message(
      'err',
      e.status === 409 ? `${e.message} — reload the policy and apply your change again.` : e.message
    );
  }
}

export function cancelReview() {
  $('#review-panel').hidden = true;
}

export async function deletePolicy() {
  const c = state.current;
  if (!c || c.isNew || !confirm(`Delete policy ${c.name}? Labs it covered fall back to another.`)) {
    return;
  }
  await api('DELETE', `/api/v1/admin/policies/${encodeURIComponent(c.name)}`);
  state.current = null;
  $('#editor').hidden = true;
  await loadPolicies();
}

// ---- history -----------------------------------------------------------------------------
function renderHistory() {
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
  showHistoryDiff();
}

export function showHistoryDiff() {
  const pick = id => state.revisions.find(r => String(r.revision) === $(id).value);
  const a = pick('#diff-a');
  const b = pick('#diff-b');
  if (!a || !b) {
    $('#diff').replaceChildren();
    return;
  }
  renderDiff(
    $('#diff'),
    a.document ? pretty(editable(a.document)) : '',
    b.document ? pretty(editable(b.document)) : ''
  );
}

export const rerenderRules = () => renderRules().catch(e => message('err', e.message));
