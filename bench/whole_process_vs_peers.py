"""Whole-process cost of warden-scan against bandit and semgrep on the same .py files.

    python bench/whole_process_vs_peers.py [--sizes 1000,10000] [--runs 3]
        [--semgrep /tmp/semgrep-venv/bin/semgrep] [--keep DIR]

The files are made from the labelled test corpus (src/analyzer/corpus/*.py, written like
tutorials and training scripts): each file is one cell of a corpus file (its IPython lines,
`%pip`, `!cmd`, automagic `pip install`, removed, so every tool reads plain Python) set in
the ordinary code of a training script (data loading, a model class, a training loop,
evaluation: NEUTRAL below), as real scripts hold a few loads among much model code.
`--dense` writes the corpus cells alone (every line a finding: the worst case for a
parser-bound tool). Each tool runs as a process over
the folder, start-up included, as CI and pre-commit run it:

- warden-scan: `node bin/warden-scan.js --format json --min-severity info DIR` (default
  threads: every core; also `--jobs 1`);
- bandit: `bandit -q -r -f json -t B301,B302,B403,B506,B614,B615 DIR` (its checks for the same
  ground: pickle family, marshal, yaml, torch.load, Hugging Face downloads);
- semgrep (if installed, e.g. `pip install semgrep` into a separate venv): offline with
  `--metrics=off` and the local rules bench/semgrep-rules.yml (the same ground).

Wall time and CPU (user + system of the process and its children, from getrusage) are the
median of --runs runs, after --warmup untimed runs of each tool (default 1), the tools taking
turns within each round. Build the CLI bundle first: `node scripts/bundle-cli.mjs`.
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "src" / "analyzer" / "corpus"
CLI = ROOT / "bin" / "warden-scan.js"
BANDIT_TESTS = "B301,B302,B403,B506,B614,B615"
IPYTHON_LINE = re.compile(r"^\s*(?:[%!]|(?:pip|conda|mamba)\s+install\b|# %%)")


NEUTRAL = [
    """import argparse
import math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class TextDataset{i}(Dataset):
    def __init__(self, rows, max_len={n}):
        self.rows = rows
        self.max_len = max_len

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        ids = self.rows[idx]["input_ids"][: self.max_len]
        pad = [0] * (self.max_len - len(ids))
        return torch.tensor(ids + pad), torch.tensor(self.rows[idx]["label"])
""",
    """class Block{i}(nn.Module):
    def __init__(self, dim={n}, heads=8, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask=None):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))
""",
    """def train_epoch(model, loader, optimizer, scheduler, device, grad_clip=1.0):
    model.train()
    total, seen = 0.0, 0
    for step, (xb, yb) in enumerate(loader):
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad(set_to_none=True)
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        optimizer.step()
        scheduler.step()
        total += loss.item() * xb.size(0)
        seen += xb.size(0)
        if step % {n} == 0:
            print(f"step {{step}}: loss {{total / max(seen, 1):.4f}}")
    return total / max(seen, 1)
""",
    """@torch.no_grad()
def evaluate_model(model, loader, device):
    model.eval()
    correct = total = 0
    for xb, yb in loader:
        preds = model(xb.to(device)).argmax(dim=-1).cpu()
        correct += (preds == yb).sum().item()
        total += yb.numel()
    return correct / max(total, 1)


def cosine_schedule(step, warmup={n}, total=10000):
    if step < warmup:
        return step / warmup
    return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))
""",
]


def corpus_cells():
    out = []
    for path in sorted(CORPUS.glob("*.py")):
        cell = []
        for line in path.read_text(encoding="utf-8").splitlines() + ["# %%"]:
            if line.startswith("# %%"):
                if any(c.strip() and not c.lstrip().startswith("#") for c in cell):
                    out.append("\n".join(cell))
                cell = []
            elif not IPYTHON_LINE.match(line):
                cell.append(line)
    return out


def make_tree(root: Path, count: int, dense: bool = False) -> None:
    cells = corpus_cells()
    for i in range(count):
        sub = root / f"pkg{i % 50:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        parts = [f"# generated file {i}"]
        if not dense:
            parts += [NEUTRAL[(i + k) % len(NEUTRAL)].format(i=i, n=16 + k) for k in range(3)]
        parts.append(cells[i % len(cells)])
        if not dense:
            parts.append(NEUTRAL[(i + 3) % len(NEUTRAL)].format(i=i, n=64))
        (sub / f"script_{i:05d}.py").write_text("\n\n".join(parts) + "\n", "utf-8")


def run_once(cmd):
    """(wall s, cpu s, stdout) of one run of cmd; cpu is user + system of the process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, cpu, proc.stdout


def timed_together(commands, runs, warmup=1):
    """{name: (median wall s, median cpu s, last stdout)} for ``commands`` ({name: argv}).

    Each command first runs ``warmup`` times untimed (the files just written are in the page
    cache, bandit's and semgrep's own modules are compiled, as on a developer's machine), then
    the commands take turns, one run each per round: a burst of load on a shared machine falls
    on all of them rather than on whichever ran in that minute.
    """
    for cmd in commands.values():
        for _ in range(warmup):
            run_once(cmd)
    walls = {name: [] for name in commands}
    cpus = {name: [] for name in commands}
    outs = {}
    for _ in range(runs):
        for name, cmd in commands.items():
            wall, cpu, outs[name] = run_once(cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name]), outs[name])
        for name in commands
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each tool first")
    parser.add_argument("--bandit", default=str(Path(sys.executable).parent / "bandit"))
    parser.add_argument("--semgrep", default="/tmp/semgrep-venv/bin/semgrep")
    parser.add_argument("--keep", help="write the generated files here and keep them")
    parser.add_argument("--dense", action="store_true", help="corpus cells only")
    args = parser.parse_args(argv)
    if not CLI.exists():
        print("build the CLI first: node scripts/bundle-cli.mjs", file=sys.stderr)
        return 2
    node = shutil.which("node") or "node"
    semgrep = args.semgrep if os.path.exists(args.semgrep) else None
    rules = ROOT / "bench" / "semgrep-rules.yml"
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="warden-bench-"))
        tree = base / f"files-{size}"
        if tree.exists():
            shutil.rmtree(tree)
        make_tree(tree, size, args.dense)
        warden = [node, str(CLI), "--format", "json", "--min-severity", "info", str(tree)]
        commands = {
            "warden": warden,
            "warden_1_thread": warden[:2] + ["--jobs", "1"] + warden[2:],
            "bandit": [args.bandit, "-q", "-r", "-f", "json", "-t", BANDIT_TESTS, str(tree)],
        }
        if semgrep:
            commands["semgrep"] = [
                semgrep,
                "scan",
                "--metrics=off",
                "--disable-version-check",
                "--quiet",
                "--json",
                "--config",
                str(rules),
                str(tree),
            ]
        timed = timed_together(commands, args.runs, args.warmup)
        w, w1, b = timed["warden"], timed["warden_1_thread"], timed["bandit"]
        row = {
            "files": size,
            "warden": w[:2],
            "warden_1_thread": w1[:2],
            "warden_findings": len(json.loads(w[2])["findings"]),
            "bandit": b[:2],
            "bandit_findings": len(json.loads(b[2])["results"]),
            "bandit_unparsed": len(json.loads(b[2]).get("errors", [])),
        }
        if semgrep:
            row["semgrep"] = timed["semgrep"][:2]
            row["semgrep_findings"] = len(json.loads(timed["semgrep"][2])["results"])
        rows.append(row)
        if not args.keep:
            shutil.rmtree(base)
    print(
        "| files | tool | wall s | CPU s | findings | warden-scan faster (wall / CPU) |\n"
        "| --- | --- | --- | --- | --- | --- |"
    )
    for r in rows:
        ww, wc = r["warden"]
        tools = [
            ("warden-scan (all cores)", r["warden"], r["warden_findings"]),
            ("warden-scan --jobs 1", r["warden_1_thread"], r["warden_findings"]),
            (
                f"bandit -t {BANDIT_TESTS} ({r['bandit_unparsed']} files unparsed)",
                r["bandit"],
                r["bandit_findings"],
            ),
        ]
        if "semgrep" in r:
            tools.append(("semgrep (local rules)", r["semgrep"], r["semgrep_findings"]))
        for name, (wall, cpu), found in tools:
            ratio = "" if name.startswith("warden") else f"{wall / ww:.1f}x / {cpu / wc:.1f}x"
            print(f"| {r['files']} | {name} | {wall:.2f} | {cpu:.2f} | {found} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
