// Tokens: issue a lab or admin token (shown once) and revoke one.
import { api } from './api.js';
import { $, el, fmtTime, showError } from './dom.js';

export async function loadTokens() {
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
  const question =
    `Revoke the ${t.kind} token '${t.name}'? ` +
    'Its lab stops reporting until it is given a new one.';
  if (!confirm(question)) {
    return;
  }
  await api('DELETE', `/api/v1/admin/tokens/${encodeURIComponent(t.id)}`);
  await loadTokens();
}

export async function issueToken(form) {
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
