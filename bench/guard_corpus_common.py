"""Shared by the guard corpus benches: the corpora of tests/guard/corpus and the big files."""

import os
import pickle
import sys

CORPUS = os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "guard", "corpus")
)
sys.path.insert(0, CORPUS)


def object_rows(n=600_000):
    """600k small dicts: ~27 MB pickled, an op-heavy pickle (the pre-scan's worst case)."""
    return [
        {"id": i, "name": f"item{i}", "x": i * 0.5, "n": i % 1000, "ok": i % 2 == 0}
        for i in range(n)
    ]


def write_object_pickle(path, n=600_000):
    with open(path, "wb") as fh:
        pickle.dump(object_rows(n), fh, protocol=4)
    return path


def build_corpora(workdir):
    """Write the red-team and benign corpora; returns (red paths, benign paths)."""
    import benign
    import redteam

    red_dir = os.path.join(workdir, "red")
    good_dir = os.path.join(workdir, "benign")
    os.makedirs(red_dir)
    os.makedirs(good_dir)
    red = [entry["scan_path"] for entry in redteam.build(red_dir)]
    good = [entry["scan_path"] for entry in benign.build(good_dir)]
    return red, good
