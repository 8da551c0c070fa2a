#!/usr/bin/env node
/*
 * Static analyzer benchmark (run on demand; `npm run bench:analyzer` builds and runs it):
 *
 * Prints, from one run on the same generated cells (~1 KB of notebook-style Python each):
 *   - analyzeCell per 1 KB cell, warm: median and p99, next to the bare Lezer parse of the
 *     whole cell and analyzeCell with every statement parsed ({exhaustive: true}); the share
 *     of the text the relevance filter sends to the parser;
 *   - a 1,000-cell notebook end to end through the CLI (node process start to exit), next to
 *     the bare parse of the same cells in-process and in a node process doing only
 *     read + JSON.parse + Lezer parse;
 *   - throughput against bandit (pickle/marshal/yaml/torch/huggingface checks) on the same
 *     code written as .py files: both tools run as processes over the same folder (start-up
 *     and JIT warm-up included), both in steady state inside one warm process
 *     (bench/bandit_steady.py runs bandit's own manager in Python), and both as processes
 *     on --scale times as many files of the same kind (default 3; 0 skips it), where each
 *     tool's fixed cost per run weighs less.
 *
 *   node bench/analyzer-bench.js [--cells 1000] [--runs 5] [--scale 3] [--bandit PATH]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
// The CommonJS build of tsconfig.cli.json (the lab extension's ESM build is in lib/src).
const LIB = path.join(ROOT, 'lib', 'cli', 'src');
// The shipped CLI: the bundle of scripts/bundle-cli.mjs (npm run bench:analyzer rebuilds both).
const CLI = path.join(ROOT, 'bin', 'warden-scan.js');
if (!fs.existsSync(path.join(LIB, 'analyzer', 'index.js')) || !fs.existsSync(CLI)) {
  console.error('build first: npx tsc -p tsconfig.cli.json && node scripts/bundle-cli.mjs');
  process.exit(2);
}
const { analyzeCell, EMPTY_SCOPE } = require(path.join(LIB, 'analyzer', 'index.js'));
const { scanStatements } = require(path.join(LIB, 'analyzer', 'statements.js'));
const { RelevanceFilter } = require(path.join(LIB, 'analyzer', 'relevance.js'));
const { Scope } = require(path.join(LIB, 'analyzer', 'scope.js'));
const { parser } = require(require.resolve('@lezer/python', { paths: [ROOT] }));

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
}
const CELLS = Number(arg('--cells', 1000));
const RUNS = Number(arg('--runs', 5));
const BANDIT = arg('--bandit', '/work/main/.venv/bin/bandit');
// Bandit's checks for the same ground: B301 pickle (and dill, shelve, jsonpickle, pandas),
// B302 marshal, B403 import pickle, B506 yaml.load, B614 torch.load, B615 huggingface downloads.
const BANDIT_TESTS = 'B301,B302,B403,B506,B614,B615';

/* ---------- the cells: deterministic, notebook-style, ~1 KB each ---------- */
const BLOCKS = [
  i => `import torch\nimport torch.nn as nn\nimport numpy as np\nimport pandas as pd\nfrom pathlib import Path\n\nDATA_DIR = Path("data/run_${i}")\nBATCH_SIZE = ${16 + (i % 5) * 16}\n`,
  i => `class Net${i}(nn.Module):\n    def __init__(self, width=${64 + (i % 4) * 32}):\n        super().__init__()\n        self.fc1 = nn.Linear(784, width)\n        self.fc2 = nn.Linear(width, 10)\n\n    def forward(self, x):\n        x = torch.relu(self.fc1(x))\n        return self.fc2(x)\n`,
  i => `df = pd.read_csv(DATA_DIR / "train_${i}.csv")\ndf = df.dropna().reset_index(drop=True)\nfeatures = df[[c for c in df.columns if c.startswith("f_")]].to_numpy(dtype=np.float32)\nlabels = df["label"].to_numpy()\nprint(features.shape, labels.mean())\n`,
  i => `model = Net${i}()\noptimizer = torch.optim.Adam(model.parameters(), lr=${(i % 7) + 1}e-3)\nfor epoch in range(${3 + (i % 3)}):\n    for xb, yb in zip(np.array_split(features, 10), np.array_split(labels, 10)):\n        optimizer.zero_grad()\n        loss = nn.functional.cross_entropy(model(torch.tensor(xb)), torch.tensor(yb))\n        loss.backward()\n        optimizer.step()\n    print(f"epoch {epoch}: {loss.item():.4f}")\n`,
  i => `state = torch.load(DATA_DIR / "ckpt_${i}.pt", map_location="cpu", weights_only=True)\nmodel.load_state_dict(state)\nscores = np.load(DATA_DIR / "scores_${i}.npy")\nsummary = {"mean": float(scores.mean()), "std": float(scores.std())}\n`,
  i => `ckpt = torch.load(DATA_DIR / "legacy_${i}.pt")\nimport pickle\nwith open(DATA_DIR / "vocab_${i}.pkl", "rb") as fh:\n    vocab = pickle.load(fh)\nimport yaml\ncfg = yaml.load(open("cfg_${i}.yaml"))\n`,
  i => `def evaluate_${i}(model, xs, ys):\n    model.eval()\n    with torch.no_grad():\n        preds = model(torch.tensor(xs)).argmax(dim=1).numpy()\n    accuracy = (preds == ys).mean()\n    return {"accuracy": float(accuracy), "n": int(len(ys))}\n\nresult = evaluate_${i}(model, features, labels)\nprint(result)\n`,
  i => `from transformers import AutoModel, AutoTokenizer\ntok = AutoTokenizer.from_pretrained("org/model-${i}", revision="3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49")\nenc = AutoModel.from_pretrained("org/model-${i}")\n`
];

function makeCell(i) {
  let s = '';
  let k = i;
  while (s.length < 1024) {
    s += BLOCKS[k % BLOCKS.length](i) + '\n';
    k += 3;
  }
  return s.slice(0, s.lastIndexOf('\n', 1100) + 1);
}

const cells = Array.from({ length: CELLS }, (_, i) => makeCell(i));
const totalBytes = cells.reduce((n, c) => n + Buffer.byteLength(c), 0);
const meanKB = totalBytes / cells.length / 1024;

/* ---------- helpers ---------- */
const now = () => Number(process.hrtime.bigint()) / 1e6;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = xs => quantile(xs, 0.5);
// CPU time (user + sys) of a child is read with /usr/bin/time when present: on a shared,
// loaded machine it is far steadier than wall time, which is printed beside it.
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
function timeProcess(cmd, args, opts = {}, runs = RUNS) {
  const walls = [];
  const cpus = [];
  let last;
  for (let r = 0; r < runs; r++) {
    const out = path.join(os.tmpdir(), `warden-bench-time-${process.pid}`);
    const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', out, cmd, ...args]] : [cmd, args];
    const t = now();
    last = spawnSync(c, a, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
    walls.push(now() - t);
    if (last.error) {
      throw last.error;
    }
    if (GNU_TIME) {
      const [u, sy] = fs.readFileSync(out, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      cpus.push((u + sy) * 1000);
      fs.rmSync(out, { force: true });
    }
  }
  return { ms: median(walls), cpu: cpus.length ? median(cpus) : NaN, result: last };
}

/* ---------- 1. per cell, warm ---------- */
for (let w = 0; w < 3; w++) {
  for (const c of cells) {
    analyzeCell(c, EMPTY_SCOPE);
    parser.parse(c);
  }
}
const perCell = [];
const perParse = [];
const perExhaustive = [];
const EXHAUSTIVE = { exhaustive: true };
for (let r = 0; r < 3; r++) {
  for (const c of cells) {
    let t = now();
    parser.parse(c);
    perParse.push(now() - t);
    t = now();
    analyzeCell(c, EMPTY_SCOPE);
    perCell.push(now() - t);
    t = now();
    analyzeCell(c, EMPTY_SCOPE, EXHAUSTIVE);
    perExhaustive.push(now() - t);
  }
}
// Share of the text the relevance filter sends to Lezer (each cell on its own scope).
let parsedChars = 0;
for (const c of cells) {
  const scan = scanStatements(c);
  const filter = new RelevanceFilter(c, scan, Scope.fromSnapshot(EMPTY_SCOPE));
  for (const st of scan.statements) {
    if (filter.mayMatter(st)) {
      parsedChars += st.to - st.from;
    }
  }
}
const parsedShare = parsedChars / cells.reduce((n, c) => n + c.length, 0);

/* ---------- 2. 1,000-cell notebook through the CLI ---------- */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-bench-'));
const nbPath = path.join(tmp, 'big.ipynb');
fs.writeFileSync(
  nbPath,
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: cells.map(c => ({
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: c.split(/(?<=\n)/)
    }))
  })
);
const inProcessParse = [];
const inProcessParseCpu = [];
for (let r = 0; r < RUNS; r++) {
  const t = now();
  const c0 = process.cpuUsage();
  for (const c of cells) {
    parser.parse(c);
  }
  const c1 = process.cpuUsage(c0);
  inProcessParse.push(now() - t);
  inProcessParseCpu.push((c1.user + c1.system) / 1000);
}
const floorScript = path.join(tmp, 'parse-floor.js');
fs.writeFileSync(
  floorScript,
  `const {parser}=require(${JSON.stringify(require.resolve('@lezer/python', { paths: [ROOT] }))});
const nb=JSON.parse(require('fs').readFileSync(process.argv[2],'utf8'));
let n=0;for(const c of nb.cells){if(c.cell_type==='code'){parser.parse(Array.isArray(c.source)?c.source.join(''):c.source);n++}}
process.stdout.write(String(n));`
);
const nodeStart = timeProcess(process.execPath, ['-e', '0']);
const floorProc = timeProcess(process.execPath, [floorScript, nbPath]);
const cliNb = timeProcess(process.execPath, [CLI, '--format', 'json', nbPath]);
const cliNbFindings = JSON.parse(cliNb.result.stdout).findings.length;

/* ---------- 3. throughput vs bandit on the same code as .py files ---------- */
const pyDir = path.join(tmp, 'py');
fs.mkdirSync(pyDir);
cells.forEach((c, i) => fs.writeFileSync(path.join(pyDir, `cell_${String(i).padStart(4, '0')}.py`), c));
const cliPy = timeProcess(process.execPath, [CLI, '--format', 'json', pyDir]);
// The same kind of code at SCALE times the files: both tools pay a fixed cost per run (node's
// start and JIT warm-up, Python's start and bandit's plugin loading), so the whole-run ratio
// grows with the input. Measured directly, 3 runs each (--scale 0 skips it).
const SCALE = Number(arg('--scale', 3));
const bigDir = path.join(tmp, 'py-big');
if (SCALE > 1) {
  fs.mkdirSync(bigDir);
  for (let i = 0; i < CELLS * SCALE; i++) {
    fs.writeFileSync(path.join(bigDir, `cell_${String(i).padStart(5, '0')}.py`), makeCell(i));
  }
}
const timeScaled = (cmd, args, opts = {}) => timeProcess(cmd, args, opts, Math.min(RUNS, 3));
const cliBig = SCALE > 1 ? timeScaled(process.execPath, [CLI, '--format', 'json', bigDir]) : null;
const cliPyFindings = JSON.parse(cliPy.result.stdout).findings.length;
let bandit = null;
if (fs.existsSync(BANDIT)) {
  const b = timeProcess(BANDIT, ['-q', '-f', 'json', '-t', BANDIT_TESTS, '-r', pyDir], { env: process.env });
  let issues = NaN;
  let unparsed = NaN;
  try {
    const out = JSON.parse(b.result.stdout);
    issues = out.results.length;
    unparsed = out.errors.length;
  } catch {
    // leave NaN: bandit output unreadable
  }
  // Steady state: bandit's manager in a warm Python process, CPU of its scan only.
  const python = path.join(path.dirname(BANDIT), 'python');
  const steady = spawnSync(python, [path.join(__dirname, 'bandit_steady.py'), pyDir, BANDIT_TESTS, '3'], {
    encoding: 'utf8'
  });
  const steadyCpu = steady.status === 0 ? Number(steady.stdout.trim()) : NaN;
  const big =
    SCALE > 1
      ? timeScaled(BANDIT, ['-q', '-f', 'json', '-t', BANDIT_TESTS, '-r', bigDir], { env: process.env })
      : null;
  bandit = { ms: b.ms, cpu: b.cpu, issues, unparsed, steadyCpu, big };
}
// Warden in steady state: the same files' text through analyzeCell in this warm process.
const pyTexts = fs.readdirSync(pyDir).map(f => fs.readFileSync(path.join(pyDir, f), 'utf8'));
const steadyRuns = [];
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage();
  for (const t of pyTexts) {
    analyzeCell(t, EMPTY_SCOPE, { ipython: false });
  }
  const c1 = process.cpuUsage(c0);
  steadyRuns.push((c1.user + c1.system) / 1000);
}
const wardenSteadyCpu = median(steadyRuns);

/* ---------- report ---------- */
const f = x => (x < 10 ? x.toFixed(3) : x.toFixed(1));
const mbps = ms => (totalBytes / 1e6 / (ms / 1000)).toFixed(2);
const verdict = (ok, label) => `${label}: ${ok ? 'met' : 'MISSED'}`;
const parseMs = median(inProcessParse);
const parseCpu = median(inProcessParseCpu);
const rows = [];
rows.push(['measure', 'value (wall | cpu)', 'baseline, same run (wall | cpu)', 'ratio (wall | cpu)', 'target']);
rows.push([
  `analyzeCell per cell (${meanKB.toFixed(2)} KB), median, warm`,
  `${f(median(perCell))} ms`,
  `Lezer parse ${f(median(perParse))} ms`,
  `${(median(perCell) / median(perParse)).toFixed(2)}x parse`,
  verdict(median(perCell) < 0.5, '< 0.5 ms')
]);
rows.push([
  '',
  '',
  `every statement parsed ${f(median(perExhaustive))} ms`,
  `${(median(perCell) / median(perExhaustive)).toFixed(2)}x; ${(parsedShare * 100).toFixed(0)}% of the text parsed`,
  ''
]);
rows.push([
  'analyzeCell per cell, p99, warm',
  `${f(quantile(perCell, 0.99))} ms`,
  `Lezer parse ${f(quantile(perParse, 0.99))} ms`,
  `${(quantile(perCell, 0.99) / quantile(perParse, 0.99)).toFixed(2)}x parse`,
  ''
]);
rows.push([
  `CLI end to end, ${CELLS}-cell notebook`,
  `${f(cliNb.ms)} | ${f(cliNb.cpu)} ms`,
  `bare parse, in-process ${f(parseMs)} | ${f(parseCpu)} ms`,
  `${(cliNb.ms / parseMs).toFixed(2)}x | ${(cliNb.cpu / parseCpu).toFixed(2)}x`,
  verdict(cliNb.cpu / parseCpu <= 1.5, '<= 1.5x (cpu)')
]);
rows.push([
  '',
  '',
  `bare parse, node process ${f(floorProc.ms)} | ${f(floorProc.cpu)} ms`,
  `${(cliNb.ms / floorProc.ms).toFixed(2)}x | ${(cliNb.cpu / floorProc.cpu).toFixed(2)}x`,
  verdict(cliNb.cpu / floorProc.cpu <= 1.5, '<= 1.5x (cpu)')
]);
rows.push(['', '', `(empty node process ${f(nodeStart.ms)} | ${f(nodeStart.cpu)} ms)`, '', '']);
rows.push([
  `warden-scan, same code as ${CELLS} .py files`,
  `${f(cliPy.ms)} | ${f(cliPy.cpu)} ms`,
  bandit ? `bandit -t ${BANDIT_TESTS} ${f(bandit.ms)} | ${f(bandit.cpu)} ms` : 'bandit not found',
  bandit ? `${(bandit.ms / cliPy.ms).toFixed(1)}x | ${(bandit.cpu / cliPy.cpu).toFixed(1)}x faster` : '',
  bandit ? verdict(bandit.cpu / cliPy.cpu >= 10, '>= 10x (cpu)') : ''
]);
rows.push([
  'same, steady state (warm process, scan only)',
  `${f(wardenSteadyCpu)} ms cpu`,
  bandit ? `bandit manager ${f(bandit.steadyCpu)} ms cpu` : '',
  bandit ? `${(bandit.steadyCpu / wardenSteadyCpu).toFixed(1)}x faster` : '',
  bandit ? verdict(bandit.steadyCpu / wardenSteadyCpu >= 10, '>= 10x') : ''
]);
if (bandit && bandit.big && cliBig) {
  rows.push([
    `warden-scan, ${CELLS * SCALE} .py files of the same kind`,
    `${f(cliBig.ms)} | ${f(cliBig.cpu)} ms`,
    `bandit ${f(bandit.big.ms)} | ${f(bandit.big.cpu)} ms`,
    `${(bandit.big.ms / cliBig.ms).toFixed(1)}x | ${(bandit.big.cpu / cliBig.cpu).toFixed(1)}x faster`,
    verdict(bandit.big.cpu / cliBig.cpu >= 10, '>= 10x (cpu)')
  ]);
}
rows.push([
  'throughput (cpu)',
  `${mbps(cliPy.cpu)} MB/s`,
  bandit ? `bandit ${mbps(bandit.cpu)} MB/s` : '',
  '',
  ''
]);
const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
console.log(
  `warden static analyzer benchmark: ${CELLS} cells, ${(totalBytes / 1024).toFixed(0)} KB, ` +
    `${RUNS} runs per process measurement (median); node ${process.version}; ` +
    `load average ${os.loadavg().map(x => x.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`
);
for (const r of rows) {
  console.log(r.map((v, c) => v.padEnd(widths[c])).join('  '));
}
console.log(
  `findings: notebook ${cliNbFindings}, .py files ${cliPyFindings}` +
    (bandit
      ? `; bandit issues ${bandit.issues}, files bandit could not parse ${bandit.unparsed}` +
        ' (cells cut at ~1 KB can end inside a block; warden analyses them anyway)'
      : '')
);
fs.rmSync(tmp, { recursive: true, force: true });
