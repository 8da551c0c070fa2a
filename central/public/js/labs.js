// Labs: what each lab last reported, labs with unguarded kernels first and flagged.
import { api } from './api.js';
import { $, el, fmtTime } from './dom.js';

const REASONS = {
  launch_guard_off: 'launch-time guard switched off',
  no_report: 'not launched with the guard',
  report_unreadable: 'start-up report unreadable',
  report_mismatch: 'start-up report from another process',
  guard_errors: 'guard failed to install',
  not_installed: 'guard not installed'
};

function coverage(l) {
  const k = l.kernels;
  if (!k) {
    return el('span', { class: 'muted' }, 'unknown');
  }
  if (k.total === k.guarded) {
    return el('span', { class: 'ok-text' }, k.total ? `all ${k.total} guarded` : 'no kernels');
  }
  const list = k.unguarded.map(u =>
    el('li', {}, el('code', {}, u.kernel), ` ${REASONS[u.reason] ?? u.reason}`)
  );
  if (k.truncated) {
    list.push(el('li', { class: 'muted' }, '…and more'));
  }
  return el(
    'div',
    {},
    el('span', { class: 'badge crit' }, `${k.total - k.guarded} of ${k.total} unguarded`),
    el('ul', { class: 'kernels' }, list)
  );
}

export async function loadLabs() {
  const { labs } = await api('GET', '/api/v1/admin/labs');
  const exposed = labs.filter(l => l.unguarded_kernels > 0);
  showExposed(exposed.length);
  const alert = $('#labs-alert');
  alert.hidden = !exposed.length;
  alert.textContent = exposed.length
    ? `${exposed.length} lab(s) run kernels without the kernel guard: ` +
      `${exposed.map(l => l.lab).join(', ')}. Malicious model files load unchecked there.`
    : '';
  $('#labs-table tbody').replaceChildren(
    ...labs.map(l =>
      el(
        'tr',
        { class: l.unguarded_kernels > 0 ? 'unguarded' : '', 'data-lab': l.lab },
        el('th', { scope: 'row' }, l.lab),
        el('td', {}, coverage(l)),
        el('td', {}, fmtTime(l.last_seen)),
        el('td', { class: 'num' }, l.policy_revision ?? '–'),
        el('td', { class: 'num' }, l.queue_depth ?? '–'),
        el(
          'td',
          {},
          Object.entries(l.dropped)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ') || '0'
        ),
        el('td', {}, l.warden_version ?? '–'),
        el('td', { class: 'num' }, l.event_count)
      )
    )
  );
}

/** The count on the Labs tab, so an exposed lab is seen from any tab. */
export function showExposed(n) {
  const badge = $('#labs-badge');
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
  badge.setAttribute('aria-label', `${n} lab(s) with unguarded kernels`);
}

export async function refreshExposed() {
  const { labs } = await api('GET', '/api/v1/admin/labs');
  showExposed(labs.filter(l => l.unguarded_kernels > 0).length);
}
