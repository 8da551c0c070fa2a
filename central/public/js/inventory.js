// Shadow ML (models, hubs, package indexes seen in events) and the audit trail.
import { api } from './api.js';
import { $, el, fmtTime } from './dom.js';

export async function loadShadow() {
  const inv = await api('GET', '/api/v1/admin/shadow-ml');
  const common = x => [
    el('td', {}, x.users.join(', ')),
    el('td', {}, x.labs.join(', ')),
    el('td', { class: 'num' }, x.count),
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

export async function loadAudit() {
  const { entries } = await api('GET', '/api/v1/admin/audit?limit=200');
  $('#audit-table tbody').replaceChildren(
    ...entries.map(a =>
      el(
        'tr',
        {},
        el('td', { class: 'nowrap' }, fmtTime(a.time)),
        el('td', {}, a.actor),
        el('td', {}, a.action),
        el('td', {}, a.target),
        el('td', {}, el('code', {}, JSON.stringify(a.detail)))
      )
    )
  );
}
