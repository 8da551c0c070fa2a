"""The fleet artifact registry saves the second lab's scan (issue 19), measured in one run.

    PYTHONPATH=. .venv/bin/python bench/fleet_scan_skip.py [--size-mb 1024] [--central]

A >= 1 GB pickle of many small objects (the shape where Warden's pre-load scan costs the
most per byte: it walks every opcode) is written with raw opcodes. Lab A's kernel loads it
with ``pandas.read_pickle`` (pre-scanned whole) and records the load (``artifacts.report_loads``);
lab A reports it; lab B looks the sha256 up and pushes the fleet's verdict to its kernel; lab
B's FIRST load of the same bytes (a fresh hard link, so no per-file cache answers) skips the
scan and pays a sha256 of the file instead. ``--central``: through the real central service
(``central/dist`` built, branch central) with two lab tokens; otherwise through the contract
stand-in of tests/provenance/registry_stub.py. Both "kernels" are this process's guard, reset
between labs. Prints one JSON line: load seconds in lab A and lab B, the guard's own share
(load minus a plain ``pickle.load`` of the same bytes, measured in the same run), and saved.
"""

import argparse
import asyncio
import json
import os
import pickle
import struct
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [
    str(REPO),
    str(REPO / "tests"),
    str(REPO / "tests" / "provenance"),
    str(REPO / "tests" / "central"),
]


def write_float_pickle(path: str, size: int) -> int:
    """A protocol-4 pickle of one list of floats, about ``size`` bytes; returns the count."""
    per_chunk = 1000
    chunk = bytearray(b"(")
    for i in range(per_chunk):
        chunk += b"G" + struct.pack(">d", float(i))
    chunk += b"e"
    chunk = bytes(chunk)
    count = 0
    with open(path, "wb") as fh:
        fh.write(b"\x80\x04]")  # PROTO 4, EMPTY_LIST
        while fh.tell() < size:
            fh.write(chunk)
            count += per_chunk
        fh.write(b".")
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--central", action="store_true")
    args = parser.parse_args()

    from jupyterlab_warden.kernel import guard as guard_pkg

    state = guard_pkg.install()
    import pandas

    from jupyterlab_warden.lab.artifacts.registry import ArtifactRegistry
    from jupyterlab_warden.lab.central.client import CentralClient

    work = tempfile.mkdtemp(prefix="warden-fleet-bench-")
    central = None
    if args.central:
        from real_central import RealCentral, central_problem

        from jupyterlab_warden.lab.central.signing import load_public_keys

        problem = central_problem()
        if problem:
            sys.exit(problem)
        central = RealCentral(Path(work) / "central").start()
        url, tokens = (
            central.url,
            (central.lab_token, central._cli("lab", "create-token", "--name", "lab-b")),
        )
        keys = load_public_keys(central.public_keys())
    else:
        from registry_stub import RegistryStub, Signer

        signer = Signer()
        stub = RegistryStub(signer)
        stub.start()
        url, tokens, keys = f"http://127.0.0.1:{stub.port}", ("wdl_lab", "wdl_lab"), signer.keys

    def sync(registry, token):
        async def one():
            client = CentralClient(url, token, timeout=30)
            try:
                return await registry.sync_once(client)
            finally:
                client.close()

        return asyncio.run(one())

    def kernel(registry):
        state.events = []
        state.sink.callbacks[:] = [state.events.append]
        state.provenance.use_fleet(registry.for_kernels())
        state.set_policy({"artifacts": {"report_loads": True, "accept_fleet_scans": True}})

    try:
        path_a = os.path.join(work, "lab-a-model.pkl")
        count = write_float_pickle(path_a, args.size_mb << 20)
        size = os.path.getsize(path_a)
        path_b = os.path.join(work, "lab-b-model.pkl")
        os.link(path_a, path_b)
        lab_a = ArtifactRegistry(os.path.join(work, "lab-a"), keys)
        lab_b = ArtifactRegistry(os.path.join(work, "lab-b"), keys)

        kernel(lab_a)
        scanned = state.counts["files_scanned"]
        started = time.perf_counter()
        assert len(pandas.read_pickle(path_a)) == count
        load_a = time.perf_counter() - started
        assert state.counts["files_scanned"] == scanned + 1
        lab_a.observe(state.events)
        sha = [e for e in state.events if e["rule_id"] == "artifact-loaded"][0]["evidence"][
            "sha256"
        ]
        assert sync(lab_a, tokens[0])["reported"] == 1

        kernel(lab_b)  # lab B's kernel learnt of the sha256 (e.g. its hub download record)
        lab_b.wanted.add(sha)
        assert sync(lab_b, tokens[1])["looked_up"] == 1
        kernel(lab_b)  # the next signed update carries the fleet's verdict
        scanned = state.counts["files_scanned"]
        started = time.perf_counter()
        assert len(pandas.read_pickle(path_b)) == count
        load_b = time.perf_counter() - started
        skipped = state.counts["files_scanned"] == scanned

        started = time.perf_counter()
        with open(path_a, "rb") as fh:  # the unguarded reference: below the guard's wrappers
            state.set_policy({"guard": {"enabled": False}})
            pickle.load(fh)
        plain = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "size_mb": round(size / (1 << 20)),
                    "objects": count,
                    "via": "real central" if central else "contract stand-in",
                    "lab_b_scan_skipped": skipped,
                    "load_lab_a_s": round(load_a, 2),
                    "load_lab_b_s": round(load_b, 2),
                    "plain_load_s": round(plain, 2),
                    "guard_lab_a_s": round(load_a - plain, 2),
                    "guard_lab_b_s": round(load_b - plain, 2),
                    "saved_s": round(load_a - load_b, 2),
                }
            )
        )
    finally:
        if central is not None:
            central.stop()
        for name in os.listdir(work):
            full = os.path.join(work, name)
            if os.path.isfile(full):
                os.unlink(full)


if __name__ == "__main__":
    main()
