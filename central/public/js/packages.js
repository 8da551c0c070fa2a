// Packages: which package versions the fleet's labs run (their last status report), versions
// under known advisories highlighted.
import { api } from './api.js';
import { $, el, fmtTime } from './dom.js';

let filters = {};

export async function loadPackages() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    if (v) {
      q.set(k, v);
    }
  }
  const inv = await api('GET', `/api/v1/admin/packages?${q}`);
  $('#packages-table tbody').replaceChildren(
    ...inv.packages.map(p =>
      el(
        'tr',
        {
          class: p.flagged ? 'flagged' : '',
          'data-package': `${p.name}==${p.version}`
        },
        el('td', {}, p.name),
        el('td', {}, el('code', {}, p.version)),
        el(
          'td',
          {},
          p.advisories.length
            ? p.advisories.map(id => el('span', { class: 'badge advisory' }, id))
            : '–'
        ),
        el(
          'td',
          {},
          p.labs.map(l =>
            el(
              'div',
              { title: `last reported ${fmtTime(l.last_seen)}` },
              l.user ? `${l.lab} (${l.user})` : l.lab
            )
          )
        ),
        el(
          'td',
          { class: 'num' },
          p.labs.reduce((n, l) => n + l.kernels, 0)
        )
      )
    )
  );
  const flagged = inv.packages.filter(p => p.flagged).length;
  const cut = inv.labs.filter(l => l.truncated).map(l => l.lab);
  $('#packages-summary').textContent =
    `${inv.packages.length} version${inv.packages.length === 1 ? '' : 's'}` +
    ` from ${inv.labs.length} lab${inv.labs.length === 1 ? '' : 's'}` +
    `, ${flagged} under advisories` +
    (inv.truncated ? ' (more matched: narrow the filter)' : '') +
    (cut.length ? `. Partial lists from: ${cut.join(', ')}` : '');
}

export function applyPackageFilters(form) {
  const f = Object.fromEntries(new FormData(form));
  filters = { name: (f.name ?? '').trim(), flagged: f.flagged };
  return loadPackages();
}
