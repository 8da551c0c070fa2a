#!/usr/bin/env node
/**
 * Browser benchmark of the execution gate (issue 5): a real JupyterLab with Warden, a real
 * kernel, Debian's Chromium. For a 200-cell notebook of ~1 KB cells it measures, in the same
 * page and run, the time from the executor's runCell call to the execute request being sent,
 * through Warden's gate and through JupyterLab's own runCell (the baseline).
 *
 *   node bench/gate-bench.mjs [--cells 200] [--repeats 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'ui-tests', 'package.json'));
const { chromium } = require('playwright');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CELLS = arg('cells', 200);
const REPEATS = arg('repeats', 3);
const PORT = 8900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${PORT}`;

/** ~1 KB of ordinary data-science code per cell, different in every cell. */
function cellSource(i) {
  const lines = [
    'import numpy as np',
    'import pandas as pd',
    `values_${i} = np.arange(${i + 10}) * ${i % 7 + 1}`,
    `frame_${i} = pd.DataFrame({"a": values_${i}, "b": values_${i} ** 2})`
  ];
  for (let k = 0; lines.join('\n').length < 1000; k++) {
    lines.push(`# step ${k}: summarise column b of frame ${i} and keep the running mean`);
    lines.push(`mean_${i}_${k} = float(frame_${i}["b"].mean()) + ${k}`);
  }
  return lines.join('\n');
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = xs => quantile(xs, 0.5);

async function waitForServer() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/api/status`);
      if (r.ok) return;
    } catch {}
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('jupyter lab did not start');
}

const workdir = mkdtempSync(join(tmpdir(), 'warden-gate-bench-'));
const lab = spawn(
  join(root, '.venv', 'bin', 'jupyter'),
  [
    'lab', '--no-browser', '--allow-root', `--ServerApp.port=${PORT}`, '--ServerApp.ip=127.0.0.1',
    "--IdentityProvider.token=", '--ServerApp.disable_check_xsrf=True',
    `--ServerApp.root_dir=${workdir}`, '--LabApp.expose_app_in_browser=True'
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] }
);
let browser;
try {
  await waitForServer();
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: Array.from({ length: CELLS }, (_, i) => ({
      cell_type: 'code', id: `cell-${i}`, metadata: {}, outputs: [], execution_count: null,
      source: cellSource(i)
    }))
  };
  await fetch(`${base}/api/contents/bench.ipynb`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'notebook', format: 'json', content: notebook })
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  });
  const page = await browser.newPage();
  // ?warden-dev=1: the benchmark command is registered only for developers.
  await page.goto(`${base}/lab/tree/bench.ipynb?warden-dev=1`);
  await page.waitForFunction(() => window.jupyterapp?.shell?.currentWidget?.sessionContext
    ?.session?.kernel?.status === 'idle', null, { timeout: 120000 });
  const result = await page.evaluate(
    repeats => window.jupyterapp.commands.execute('warden:benchmark-gate', { repeats }),
    REPEATS
  );
  const s = result.single, r = result.runAll;
  const rows = [
    ['per-cell send latency, median (ms)', median(s.bypass), median(s.gated)],
    ['per-cell send latency, p99 (ms)', quantile(s.bypass, 0.99), quantile(s.gated, 0.99)],
    [`Run All ${result.cells} cells, median (ms)`, median(r.bypass), median(r.gated)],
    [`Run All ${result.cells} cells, worst (ms)`, Math.max(...r.bypass), Math.max(...r.gated)]
  ];
  console.log(`Execution gate vs JupyterLab's runCell (${result.cells} cells of ~1 KB, ${REPEATS} repeats)`);
  console.log('| measure | JupyterLab runCell | Warden gate | gate adds | ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, a, b] of rows) {
    console.log(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b - a).toFixed(2)} | ${(b / a).toFixed(2)}x |`);
  }
  console.log('Targets: gate adds < 5 ms p99 per cell; < 150 ms to Run All on 200 cells.');
} finally {
  await browser?.close();
  lab.kill('SIGTERM');
  setTimeout(() => rmSync(workdir, { recursive: true, force: true }), 2000);
}
