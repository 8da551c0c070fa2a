// Small DOM helpers. Every value that came from a lab is put on the page as text (textContent,
// attributes), never as HTML.

export const $ = sel => document.querySelector(sel);
export const $$ = sel => [...document.querySelectorAll(sel)];

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      e.className = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat(Infinity)) {
    e.append(
      c instanceof Node
        ? c
        : document.createTextNode(c === null || c === undefined ? '' : String(c))
    );
  }
  return e;
}

/** A definition list of [label, value] pairs; empty values are left out. */
export function fields(pairs) {
  return el(
    'dl',
    { class: 'fields' },
    pairs
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])
  );
}

export const fmtTime = t => (t ? new Date(t).toLocaleString() : '–');
export const toIso = local => (local ? new Date(local).toISOString() : '');

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
export const ACTIONS = ['allowed', 'warned', 'confirmed', 'blocked'];

export function severityBadge(sev) {
  return el('span', { class: `sev sev-${sev}` }, sev);
}

/** A colour of the page's theme (CSS custom property), for the charts. */
export function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}

export function showError(e) {
  console.warn(e);
  const p = $('#error');
  p.textContent = `Error: ${e.message}`;
  p.hidden = false;
}

export function clearError() {
  $('#error').hidden = true;
}
