"""Kernel guard overhead on benign loads, guarded vs unguarded, measured in one process.

    PYTHONPATH=. python bench/guard_overhead.py [--reps 7] [--mb 120]

Phase 1 times every workload before the guard exists. Phase 2 installs the guard and
alternates, run by run, guarded loads with loads where the guard is switched off (policy
guard.enabled false: wrappers pass through, audit hook returns at once), so machine noise
hits both alike: that interleaved ratio is the one held to the target (guarded <= 1.05x
unguarded); the ratio to phase 1 is shown too. Each figure is the fastest of --reps runs.
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
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "guard"))
from warden_testpkg import TinyEstimator  # noqa: E402  (a third-party-style class)


def big_object(rows):
    return {
        "rows": [
            {
                "id": i,
                "name": f"row{i}",
                "score": i * 0.5,
                "tags": ["a", "b"],
                "when": datetime.date(2026, 1, 1 + i % 28),
            }
            for i in range(rows)
        ],
        "arrays": [np.random.rand(256, 256) for _ in range(40)],
        "index": collections.OrderedDict((str(i), i) for i in range(20000)),
        "models": [TinyEstimator(alpha=i).fit([1, 2, 3], [2, 4, 7]) for i in range(2000)],
    }


def state_dict(mb):
    n = max(1, int(mb * 1024 * 1024 / (2048 * 2048 * 4)))
    return {f"layer{i}.weight": torch.randn(2048, 2048) for i in range(n)}


def best_seconds(fn, reps):
    """Fastest of ``reps`` runs: on a shared machine the minimum is the least noisy estimate."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--mb", type=float, default=120, help="state_dict size (>= 100)")
    parser.add_argument("--rows", type=int, default=150_000)
    args = parser.parse_args()

    # Counts audit events per workload (installed first, so every phase carries its cost).
    event_counts = collections.Counter()
    counting = [False]

    def count_events(event, _args):
        if counting[0]:
            event_counts["find_class" if event == "pickle.find_class" else "other"] += 1

    sys.addaudithook(count_events)
    tmp = tempfile.mkdtemp(prefix="warden-bench-")
    obj = big_object(args.rows)
    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    pkl_path = os.path.join(tmp, "obj.pkl")
    with open(pkl_path, "wb") as fh:
        fh.write(blob)
    small = pickle.dumps(big_object(8_000)["rows"], protocol=pickle.HIGHEST_PROTOCOL)
    small_path = os.path.join(tmp, "small.pkl")
    with open(small_path, "wb") as fh:
        fh.write(small)
    pt_path = os.path.join(tmp, "sd.pt")
    torch.save(state_dict(args.mb), pt_path)
    pt_mb = os.path.getsize(pt_path) / 1e6
    # hard links: the same bytes under a new name, so the guard's scan cache misses each time
    fresh_names = (os.path.join(tmp, f"link{i}.pt") for i in range(10_000))

    def fresh_link():
        name = next(fresh_names)
        os.link(pt_path, name)
        return name

    def load_file(path):
        with open(path, "rb") as fh:
            return pickle.load(fh)

    workloads = [
        ("pickle.loads (%.0f MB object)" % (len(blob) / 1e6), lambda: pickle.loads(blob)),
        (
            "pickle.load file, big (%.0f MB)" % (len(blob) / 1e6),
            lambda: load_file(pkl_path),
        ),
        ("pickle.load file, scanned (%.1f MB)" % (len(small) / 1e6), lambda: load_file(small_path)),
        (f"torch.load state_dict ({pt_mb:.0f} MB)", lambda: torch.load(pt_path)),
        (f"torch.load state_dict, new file ({pt_mb:.0f} MB)", lambda: torch.load(fresh_link())),
        (
            f"torch.load weights_only=False ({pt_mb:.0f} MB)",
            lambda: torch.load(pt_path, weights_only=False),
        ),
    ]
    for _, fn in workloads:  # warm the page cache and lazy imports
        fn()
    events = {}
    for name, fn in workloads:
        event_counts.clear()
        counting[0] = True
        fn()
        counting[0] = False
        events[name] = (event_counts["find_class"], event_counts["other"])
    baseline = {name: best_seconds(fn, args.reps) for name, fn in workloads}

    import jupyterlab_warden.kernel.guard as guard

    on = {"rules": {"torch-load-weights-only-false": {"action": "off"}}}
    off = dict(on, guard={"enabled": False})
    state = guard.install(on)  # this process installs first: it holds the state
    for _, fn in workloads:
        fn()
    guarded = {name: [] for name, _ in workloads}
    switched_off = {name: [] for name, _ in workloads}
    for _ in range(args.reps):
        for name, fn in workloads:
            state.set_policy(on)  # the owner's (lab server's) channel; disable() is gone
            guarded[name].append(best_seconds(fn, 1))
            state.set_policy(off)
            switched_off[name].append(best_seconds(fn, 1))
    state.set_policy(on)

    print(
        f"Kernel guard overhead (best of {args.reps} runs; install took {state.install_ms:.2f} ms)"
    )
    head = "{:<42} {:>10} {:>10} {:>10} {:>10} {:>10}".format(
        "workload", "before s", "hook-off s", "guarded s", "g/before", "g/hook-off"
    )
    print(head)
    print("-" * len(head))
    worst = 0.0
    for name, _ in workloads:
        g = min(guarded[name])
        off = min(switched_off[name])
        worst = max(worst, g / off)
        print(
            f"{name:<42} {baseline[name]:10.4f} {off:10.4f} {g:10.4f} "
            f"{g / baseline[name]:9.3f}x {g / off:9.3f}x"
        )
    print(f"\nevents emitted during benign loads: {state.sink.delivered} (expected 0)")
    print_work_accounting(
        guard, state, workloads, baseline, events, pkl_path, small_path, pt_path, fresh_link
    )
    print(
        f"worst guarded/hook-off ratio: {worst:.3f}x (target <= 1.05x). Repeated loads of a "
        "file reuse its scan\n(cache keyed by path, size, mtime, ctime, inode); the table "
        "below shows first-load costs."
    )


def per_call(fn, n):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def print_work_accounting(
    guard, state, workloads, baseline, events, pkl_path, small_path, pt_path, fresh_link
):
    """The guard's own work per load, timed directly (robust to machine noise): audit events
    the hook sees x its cost per event, plus the loader wrapper's scan-before-load."""
    hook = guard._make_hook(state)  # an identical hook function, to time calls to it
    other = per_call(lambda: hook("open", ("x", "r", 0)), 200_000)
    match = per_call(lambda: hook("pickle.find_class", ("collections", "OrderedDict")), 100_000)

    def open_file(label, path):
        with open(path, "rb") as fh, state.open_load(label, fh):
            pass

    def wrapper_cost(name):
        if name.startswith("pickle.loads"):
            return 0.0
        if "big" in name:
            return per_call(lambda: open_file("pickle.load", pkl_path), 20)
        if "scanned" in name:  # first load of the file: scan cache emptied each time
            return per_call(lambda: (state.scans.clear(), open_file("pickle.load", small_path)), 5)
        if "new file" in name:
            return per_call(lambda: state.open_load("torch.load", fresh_link()), 20)
        return per_call(lambda: state.open_load("torch.load", pt_path), 200)

    print(
        f"\nGuard work accounted directly: {other * 1e9:.0f} ns per unrelated audit event, "
        f"{match * 1e6:.2f} us per pickle.find_class"
    )
    head = "{:<42} {:>8} {:>8} {:>12} {:>12} {:>10}".format(
        "workload", "find_cls", "other ev", "hook us", "wrapper us", "overhead"
    )
    print(head)
    print("-" * len(head))
    for name, _ in workloads:
        n_fc, n_other = events[name]
        hook_s = n_fc * match + n_other * other
        wrap_s = wrapper_cost(name)
        print(
            f"{name:<42} {n_fc:>8} {n_other:>8} {hook_s * 1e6:>12.1f} {wrap_s * 1e6:>12.1f} "
            f"{1 + (hook_s + wrap_s) / baseline[name]:>9.4f}x"
        )


if __name__ == "__main__":
    main()
