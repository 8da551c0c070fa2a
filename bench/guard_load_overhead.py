"""Guarded vs unguarded loads of big benign files, interleaved in one run.

    PYTHONPATH=. .venv/bin/python bench/guard_load_overhead.py [--reps 7]

Two long-lived worker processes load the same files: one plain, one that called
``jupyterlab_warden.kernel.guard.install()`` (default policy) before importing anything else. The
parent asks them in turn, repetition by repetition (which goes first alternates), so machine
noise hits both alike. Each load is of a fresh hard link (same bytes, new name), so the guard's
per-file scan cache never answers; the page cache is warm for both. Workloads and targets
(issue 12): a torch state_dict >= 100 MB with ``torch.load`` <= 1.05x; a 512 MB numpy-array
pickle with ``pickle.load`` <= 1.05x; a 27 MB object-heavy pickle (600k small dicts) with
``pickle.load`` <= 1.5x (and ``pickle.loads`` of its bytes, shown for reference).
Ratios: median of per-repetition guarded/plain, and fastest guarded / fastest plain; the
guard's own time is the median of per-repetition (guarded - plain); spread is (max-min)/median
of each side. Each worker warms up with two loads of every file first (lazy imports, the page
cache, the allocator's arenas), and which worker goes first alternates every repetition.
"""

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guard_corpus_common import write_object_pickle  # noqa: E402

_WORKER = r"""
import json, pickle, sys, time
if sys.argv[1] == "guarded":
    from jupyterlab_warden.kernel import guard
    guard.install()
import numpy, torch

def load(kind, path):
    if kind == "torch.load":
        return torch.load(path)
    if kind == "pickle.loads":
        with open(path, "rb") as fh:
            data = fh.read()
        start = time.perf_counter()
        pickle.loads(data)
        return time.perf_counter() - start
    with open(path, "rb") as fh:
        return pickle.load(fh)

for line in sys.stdin:
    kind, path = json.loads(line)
    start = time.perf_counter()
    result = load(kind, path)
    seconds = result if kind == "pickle.loads" else time.perf_counter() - start
    del result
    print(json.dumps(seconds), flush=True)
"""

TARGETS = {"state_dict": 1.05, "numpy": 1.05, "objects": 1.5, "objects_loads": None}


class Worker:
    def __init__(self, mode):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def load(self, kind, path):
        self.proc.stdin.write(json.dumps([kind, path]) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker died loading {path}")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def make_files(tmp, state_dict_mb, numpy_mb):
    import numpy as np
    import torch

    files = {}
    n = int(state_dict_mb * 1024 * 1024 / (1024 * 1024 * 4))
    gen = torch.Generator().manual_seed(0)
    files["state_dict"] = os.path.join(tmp, "state_dict.pt")
    torch.save(
        {f"layer{i}.weight": torch.randn(1024, 1024, generator=gen) for i in range(n)},
        files["state_dict"],
    )
    files["numpy"] = os.path.join(tmp, "array.pkl")
    with open(files["numpy"], "wb") as fh:
        pickle.dump(np.arange(numpy_mb * 1024 * 1024 // 8, dtype=np.float64), fh, protocol=4)
    files["objects"] = write_object_pickle(os.path.join(tmp, "objects.pkl"))
    files["objects_loads"] = files["objects"]
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--state-dict-mb", type=int, default=120)
    parser.add_argument("--numpy-mb", type=int, default=512)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="warden-load-bench-")
    files = make_files(tmp, args.state_dict_mb, args.numpy_mb)
    kinds = {
        "state_dict": "torch.load",
        "numpy": "pickle.load",
        "objects": "pickle.load",
        "objects_loads": "pickle.loads",
    }
    links = iter(range(10**6))

    def fresh(path):
        name = f"{path}.{next(links)}"
        os.link(path, name)
        return name

    workers = {"plain": Worker("plain"), "guarded": Worker("guarded")}
    times = {w: {k: [] for k in kinds} for w in workers}
    try:
        for _ in range(2):  # warm-up: lazy imports, page cache, allocator arenas
            for name in workers.values():
                for key, kind in kinds.items():
                    name.load(kind, fresh(files[key]))
        for rep in range(args.reps):
            order = ["plain", "guarded"] if rep % 2 == 0 else ["guarded", "plain"]
            for key, kind in kinds.items():
                for who in order:
                    times[who][key].append(workers[who].load(kind, fresh(files[key])))
    finally:
        for worker in workers.values():
            worker.close()
        sizes = {k: os.path.getsize(files[k]) / 1e6 for k in kinds}
        shutil.rmtree(tmp)

    print(f"Guarded vs plain loads, {args.reps} interleaved repetitions, fresh file name each load")
    head = "{:<40} {:>8} {:>9} {:>9} {:>8} {:>9} {:>9} {:>8}".format(
        "workload", "plain s", "guarded s", "guard ms", "median x", "fastest x", "spread", "target"
    )
    print(head)
    print("-" * len(head))
    for key, kind in kinds.items():
        plain, guarded = times["plain"][key], times["guarded"][key]
        per_rep = statistics.median(g / p for g, p in zip(guarded, plain))
        own_ms = 1000 * statistics.median(g - p for g, p in zip(guarded, plain))
        fastest = min(guarded) / min(plain)
        spread_p = (max(plain) - min(plain)) / statistics.median(plain)
        spread_g = (max(guarded) - min(guarded)) / statistics.median(guarded)
        spread = f"{spread_p:.0%}/{spread_g:.0%}"
        target = f"<= {TARGETS[key]:.2f}x" if TARGETS[key] else "-"
        label = f"{kind} {key} ({sizes[key]:.0f} MB)"
        print(
            f"{label:<40} {statistics.median(plain):8.3f} {statistics.median(guarded):9.3f} "
            f"{own_ms:9.1f} {per_rep:7.3f}x {fastest:8.3f}x {spread:>9} {target:>8}"
        )
    print("\nspread: (max-min)/median over the repetitions, plain/guarded (machine noise)")


if __name__ == "__main__":
    main()
