"""Load corpus files in a fresh Python process and report per-file results as JSON.

    python runner.py MODE MANIFEST RESULTS
        (MODE: none | default | strict | default-fast | strict-fast)

``none`` loads without Warden; ``default``/``strict`` call jupyterlab_warden.kernel.guard.install()
first, with an emit callback that records every event; ``*-fast`` sends every ``pickle.load``
and ``pickle.loads`` through the guard's fast path whatever the size (state.open_fast). Each
file is loaded in a child forked from this process (libraries already imported, so a fork is
cheap), so what one payload did cannot change how the next file loads. Red-team children wait
for their marker file (a payload may start a process that writes it a moment later); benign
children compare what they loaded with the original, rebuilt by the same deterministic builder.
"""

import json
import os
import pickle
import signal
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]

MARKER_WAIT_S = 20.0
CHILD_TIMEOUT_S = 120


def _marker(fid):
    return os.path.join(os.environ["WARDEN_CORPUS_MARKERS"], fid)


def _wait_for(path, deadline_s):
    deadline = time.monotonic() + deadline_s
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _describe(exc, blocked_type):
    return {
        "exc_type": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "blocked": blocked_type is not None and isinstance(exc, blocked_type),
        "unpickling_error": isinstance(exc, pickle.UnpicklingError),
        "message": str(exc)[:600],
    }


def _load_one(entry, mode, events, blocked_type):
    from loaders import LOADERS

    result = {"fid": entry["fid"], "status": "loaded"}
    first_event = len(events)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loaded = LOADERS[entry["loader"]](entry["path"])
        except BaseException as exc:  # a payload may raise anything, SystemExit included
            loaded = None
            result["status"] = "raised"
            result.update(_describe(exc, blocked_type))
    result["warnings"] = sorted({type(w.message).__name__ for w in caught})
    result["events"] = events[first_event:]  # contract-3 events: no file contents
    if entry["kind"] == "redteam":
        wait = MARKER_WAIT_S if mode == "none" else 0.0
        result["marker"] = _wait_for(_marker(entry["fid"]), wait)
    elif result["status"] == "loaded":
        import benign

        try:
            result["equal"] = benign.same(loaded, benign.BUILDERS[entry["fid"]].make())
        except Exception as exc:
            result["equal"] = False
            result["compare_error"] = repr(exc)[:300]
    return result


def _run_in_child(entry, mode, events, blocked_type):
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: quiet stdio (payloads print), report through the pipe, never return
        os.close(read_fd)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        signal.alarm(CHILD_TIMEOUT_S)
        os.chdir(os.environ["WARDEN_CORPUS_MARKERS"])  # file-write payloads use relative names
        try:
            result = _load_one(entry, mode, events, blocked_type)
        except BaseException as exc:
            result = {"fid": entry["fid"], "status": "runner-error", "message": repr(exc)}
        with os.fdopen(write_fd, "w") as out:
            json.dump(result, out)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as inp:
        text = inp.read()
    _, status = os.waitpid(pid, 0)
    if not text:
        return {"fid": entry["fid"], "status": "child-died", "wait_status": status}
    return json.loads(text)


def main(argv):
    mode, manifest_path, out_path = argv
    events, blocked_type = [], None
    if mode != "none":
        from jupyterlab_warden.kernel import guard

        policy = {"pickle": {"mode": "strict"}} if mode.startswith("strict") else {}
        state = guard.install(policy, emit=events.append)
        if mode.endswith("-fast"):
            state.fast_path_min_bytes = 0  # every pickle.load(s) takes the fast path
        blocked_type = guard.WardenBlockedLoad
    # imported once here, after the guard as in a guarded kernel, so each fork is cheap
    import cloudpickle  # noqa: F401
    import dill  # noqa: F401
    import joblib  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import torch  # noqa: F401

    with open(manifest_path) as fh:
        manifest = json.load(fh)
    if any(entry["kind"] == "benign" for entry in manifest):
        import benign

        benign.warm_up()  # libraries' lazy imports, paid once here rather than in every child
    results = {}
    for entry in manifest:
        started = time.monotonic()
        result = _run_in_child(entry, mode, events, blocked_type)
        result["seconds"] = round(time.monotonic() - started, 3)
        results[entry["fid"]] = result
    for fid, result in results.items():  # late markers: a process a payload started
        if "marker" in result:
            result["marker_at_end"] = os.path.exists(_marker(fid))
    with open(out_path, "w") as fh:
        json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
