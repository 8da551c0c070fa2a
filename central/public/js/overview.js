// Overview: charts of the stored events (GET /admin/events/stats), drawn with Chart.js
// (served from its npm package at /vendor/; the global `Chart`).
import { api } from './api.js';
import { $, ACTIONS, el, SEVERITIES, themeColor } from './dom.js';

const charts = new Map();
const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MAX_BUCKETS = 400;
let last;
// Only the newest request may draw: the sign-in load and a submit right after it can answer out
// of order, and the older answer must not overwrite the newer one.
let newest = 0;

/** Every bucket from the first to the last one with events, so quiet times show as gaps. */
export function timeAxis(series, bucket) {
  const step = BUCKET_MS[bucket];
  const times = series.map(p => Date.parse(p.t));
  if (!times.length) {
    return [];
  }
  const first = Math.min(...times);
  const end = Math.max(...times);
  const out = [];
  for (let t = first; t <= end && out.length < MAX_BUCKETS; t += step) {
    out.push(t);
  }
  return out;
}

/** Pure: counts per bucket and per value of `key` (e.g. severity). */
export function stack(series, axis, key, keys) {
  const index = new Map(axis.map((t, i) => [t, i]));
  const rows = new Map(keys.map(k => [k, new Array(axis.length).fill(0)]));
  for (const p of series) {
    const i = index.get(Date.parse(p.t));
    const k = p[key];
    if (i === undefined) {
      continue;
    }
    if (!rows.has(k)) {
      rows.set(k, new Array(axis.length).fill(0));
    }
    rows.get(k)[i] += p.count;
  }
  return [...rows].filter(([, counts]) => counts.some(n => n > 0));
}

function label(t, bucket) {
  const d = new Date(t);
  const opts =
    bucket === 'day'
      ? { month: 'short', day: 'numeric' }
      : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return d.toLocaleString(undefined, opts);
}

const PALETTE = ['accent', 'high', 'low', 'medium', 'crit', 'info', 'accent-2'];
const colorOf = name =>
  themeColor(`sev-${name}`) ||
  themeColor(`act-${name}`) ||
  themeColor(PALETTE[[...name].reduce((a, c) => a + c.charCodeAt(0), 0) % PALETTE.length]);

function draw(id, config) {
  charts.get(id)?.destroy();
  const Chart = window.Chart;
  Chart.defaults.color = themeColor('muted');
  Chart.defaults.borderColor = themeColor('line');
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  charts.set(id, new Chart(document.getElementById(id), config));
}

function timeChart(id, axis, bucket, rows) {
  draw(id, {
    type: 'bar',
    data: {
      labels: axis.map(t => label(t, bucket)),
      datasets: rows.map(([name, data]) => ({
        label: name,
        data,
        backgroundColor: colorOf(name),
        borderWidth: 0
      }))
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
      },
      plugins: { legend: { position: 'bottom' } }
    }
  });
}

function topChart(id, totals, n = 10) {
  const top = Object.entries(totals)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
  draw(id, {
    type: 'bar',
    data: {
      labels: top.map(([k]) => k),
      datasets: [
        { label: 'events', data: top.map(([, v]) => v), backgroundColor: themeColor('accent') }
      ]
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } }
    }
  });
}

function fillTable(id, obj) {
  $(`${id} tbody`).replaceChildren(
    ...Object.entries(obj)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', { class: 'num' }, v)))
  );
}

function render() {
  if (!last) {
    return;
  }
  const { stats, bucket } = last;
  const axis = timeAxis(stats.series, bucket);
  timeChart('chart-severity', axis, bucket, stack(stats.series, axis, 'severity', SEVERITIES));
  timeChart('chart-action', axis, bucket, stack(stats.series, axis, 'action', ACTIONS));
  const blocked = stats.series.filter(p => p.kind === 'runtime' && p.action === 'blocked');
  timeChart('chart-blocked', axis, bucket, stack(blocked, axis, 'lab', []));
  topChart('chart-rules', stats.totals.by_rule);
  topChart('chart-labs', stats.totals.by_lab);
}

export async function loadOverview() {
  const mine = ++newest;
  const panel = $('#tab-overview');
  panel.setAttribute('aria-busy', 'true');
  try {
    await fetchAndShow(mine);
  } finally {
    if (mine === newest) {
      panel.removeAttribute('aria-busy');
    }
  }
}

async function fetchAndShow(mine) {
  const f = new FormData($('#overview-form'));
  const bucket = f.get('bucket');
  const q = new URLSearchParams({ bucket });
  if (f.get('range')) {
    q.set('since', new Date(Date.now() - Number(f.get('range')) * 86_400_000).toISOString());
  }
  const [stats, labs] = await Promise.all([
    api('GET', `/api/v1/admin/events/stats?${q}`),
    api('GET', '/api/v1/admin/labs')
  ]);
  if (mine !== newest) {
    return;
  }
  last = { stats, bucket };
  const total = Object.values(stats.totals.by_severity).reduce((a, b) => a + b, 0);
  $('#stat-events').textContent = total;
  $('#stat-blocked').textContent = stats.totals.by_action.blocked ?? 0;
  $('#stat-critical').textContent = stats.totals.by_severity.critical ?? 0;
  $('#stat-unguarded').textContent = labs.labs.filter(l => l.unguarded_kernels > 0).length;
  render();
  fillTable('#by-rule', stats.totals.by_rule);
  fillTable('#by-severity', stats.totals.by_severity);
  fillTable('#by-action', stats.totals.by_action);
  fillTable('#by-lab', stats.totals.by_lab);
}

// Light/dark follows the system: charts take the new theme's colours.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', render);
