"""Pickle scanner throughput and detections vs picklescan, on the same files, in one run.

    PYTHONPATH=. python bench/scan_throughput.py [--reps 3]

Builds a corpus of real model files (torch zip and legacy checkpoints, numpy, pandas, joblib,
plain pickles) and malicious files (the test suite's payloads), then times
``jupyterlab_warden.kernel.scan.scan_file`` and ``picklescan.scanner.scan_file_path`` over every
file. Target: >= 2x picklescan's throughput with at least its detections.
"""

import argparse
import collections
import datetime
import os
import pickle
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import torch
from picklescan.scanner import SafetyLevel, scan_file_path

from jupyterlab_warden.kernel.scan import DANGEROUS, SAFE, scan_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "guard"))
from warden_testpkg import TinyEstimator, payloads  # noqa: E402


def build_corpus(root):
    files = collections.OrderedDict()  # path -> category

    def add(name, category):
        files[os.path.join(root, name)] = category

    torch.save({f"l{i}.weight": torch.randn(512, 512) for i in range(24)}, f"{root}/sd.pt")
    add("sd.pt", "torch state_dict")
    model = torch.nn.Sequential(*[torch.nn.Linear(64, 64) for _ in range(40)])
    torch.save(
        {"model": model, "opt": torch.optim.Adam(model.parameters()).state_dict(), "epoch": 3},
        f"{root}/ckpt.pt",
    )
    add("ckpt.pt", "torch checkpoint")
    torch.save(model.state_dict(), f"{root}/legacy.pt", _use_new_zipfile_serialization=False)
    add("legacy.pt", "torch legacy")
    np.save(f"{root}/arr.npy", np.random.rand(1000, 1000))
    add("arr.npy", "numpy")
    np.save(
        f"{root}/obj.npy",
        np.array([{"k": i} for i in range(20000)], dtype=object),
        allow_pickle=True,
    )
    add("obj.npy", "numpy object")
    df = pd.DataFrame(
        {
            "a": np.arange(200_000),
            "b": np.random.rand(200_000),
            "c": [f"s{i % 100}" for i in range(200_000)],
        }
    )
    df.to_pickle(f"{root}/df.pkl")
    add("df.pkl", "pandas")
    rows = [
        {"id": i, "name": f"r{i}", "v": [i * 0.5], "d": datetime.date(2026, 1, 1)}
        for i in range(60_000)
    ]
    with open(f"{root}/rows.pkl", "wb") as fh:
        pickle.dump(rows, fh, protocol=4)
    add("rows.pkl", "plain pickle (op-heavy)")
    with open(f"{root}/est.pkl", "wb") as fh:
        pickle.dump([TinyEstimator(i).fit([1, 2], [1, 3]) for i in range(5000)], fh)
    add("est.pkl", "sklearn-style")
    marker = os.path.join(root, "never")
    for i, (case, data) in enumerate(payloads.all_bytes_payloads(marker, root).items()):
        payloads.save_to(data, f"{root}/evil{i}.pkl")
        add(f"evil{i}.pkl", "malicious pickle")
    payloads.torch_zip(marker, f"{root}/evil.pt")
    add("evil.pt", "malicious torch zip")
    payloads.torch_legacy(marker, f"{root}/evil_legacy.pt")
    add("evil_legacy.pt", "malicious torch legacy")
    payloads.npy_object_array(marker, f"{root}/evil.npy")
    add("evil.npy", "malicious npy")
    return files


def picklescan_dangerous(path):
    result = scan_file_path(path)
    return {f"{g.module}.{g.name}" for g in result.globals if g.safety == SafetyLevel.Dangerous}


def timed_pair(paths, reps):
    """Best-of-reps seconds per file for both scanners, interleaved run by run so that load
    on a shared machine hits both alike."""
    ours, theirs = {}, {}
    for path in paths:
        a, b = [], []
        for _ in range(reps):
            start = time.perf_counter()
            scan_file(path)
            a.append(time.perf_counter() - start)
            start = time.perf_counter()
            scan_file_path(path)
            b.append(time.perf_counter() - start)
        ours[path], theirs[path] = min(a), min(b)
    return ours, theirs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    import logging

    logging.getLogger("picklescan").setLevel(logging.CRITICAL)
    root = tempfile.mkdtemp(prefix="warden-scanbench-")
    files = build_corpus(root)
    paths = list(files)
    ours_t, theirs_t = timed_pair(paths, args.reps)

    by_cat = collections.OrderedDict()
    for path, cat in files.items():
        entry = by_cat.setdefault(
            cat, {"n": 0, "mb": 0.0, "ours": 0.0, "theirs": 0.0, "ours_det": 0, "theirs_det": 0}
        )
        entry["n"] += 1
        entry["mb"] += os.path.getsize(path) / 1e6
        entry["ours"] += ours_t[path]
        entry["theirs"] += theirs_t[path]
        ours = scan_file(path)
        theirs = picklescan_dangerous(path)
        entry["ours_det"] += ours.verdict == DANGEROUS
        entry["theirs_det"] += bool(theirs)
        flagged = {g.qualified for g in ours.globals if g.verdict != SAFE}
        # picklescan names a global it cannot resolve statically "unknown.<name>"; ours
        # reports the same thing as "<computed>.<name>"
        flagged |= {n.replace("<computed>", "unknown") for n in flagged}
        # an "unknown.<name>" of theirs that we resolved to a real module is covered too
        missed = {
            n
            for n in theirs - flagged
            if not (
                n.startswith("unknown.") and any(f.endswith(n[len("unknown") :]) for f in flagged)
            )
        }
        if missed:
            print("MISSED picklescan detection in", path, missed)
    head = "{:<26} {:>5} {:>8} {:>11} {:>11} {:>7} {:>9} {:>9}".format(
        "files", "n", "MB", "ours s", "picklescan s", "ratio", "ours det", "ps det"
    )
    print(f"Scan throughput, best of {args.reps} interleaved runs per file")
    print(head)
    print("-" * len(head))
    tot = {"n": 0, "mb": 0.0, "ours": 0.0, "theirs": 0.0, "ours_det": 0, "theirs_det": 0}
    for cat, e in by_cat.items():
        for key in tot:
            tot[key] += e[key]
        print(
            f"{cat:<26} {e['n']:>5} {e['mb']:>8.1f} {e['ours']:>11.4f} {e['theirs']:>11.4f} "
            f"{e['theirs'] / e['ours']:>6.2f}x {e['ours_det']:>9} {e['theirs_det']:>9}"
        )
    print("-" * len(head))
    print(
        f"{'total':<26} {tot['n']:>5} {tot['mb']:>8.1f} {tot['ours']:>11.4f} "
        f"{tot['theirs']:>11.4f} {tot['theirs'] / tot['ours']:>6.2f}x "
        f"{tot['ours_det']:>9} {tot['theirs_det']:>9}"
    )
    print(
        f"\nthroughput: ours {tot['mb'] / tot['ours']:.1f} MB/s, picklescan "
        f"{tot['mb'] / tot['theirs']:.1f} MB/s (target >= 2x with at least its detections)"
    )


if __name__ == "__main__":
    main()
