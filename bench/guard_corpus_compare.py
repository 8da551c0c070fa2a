"""Scanner detection and time on the guard corpora: Warden's scanner vs picklescan vs ModelAudit.

    PYTHONPATH=. .venv/bin/python bench/guard_corpus_compare.py [--modelaudit PATH] [--json OUT]

The files are the red-team and benign corpora of tests/guard/corpus (written fresh into a temp
folder) plus a 27 MB object-heavy pickle (600k small dicts, benign). Each tool scans the same
paths in one process of its own (wall time includes its start-up), and the big pickle once more
alone. Per file:

* Warden: verdict ``dangerous`` = flagged, ``suspicious`` = noticed, ``error`` = error;
* picklescan (Python API, default mode): dangerous globals = flagged, suspicious globals =
  noticed, ``scan_err`` = error;
* ModelAudit (``modelaudit scan --format json``): a ``critical`` issue located in the file =
  flagged, a ``warning`` = noticed. ModelAudit pulls ~70 packages (it would downgrade
  python-dateutil in the shared venv), so it lives in its own venv:
  ``python -m venv /tmp/ma-venv && /tmp/ma-venv/bin/pip install modelaudit==0.2.54``.

Red-team files not flagged are misses; benign files flagged are false alarms.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guard_corpus_common import CORPUS, build_corpora, write_object_pickle  # noqa: E402

_PICKLESCAN = r"""
import json, sys
from picklescan.scanner import scan_file_path
out = {}
for path in sys.argv[1:]:
    try:
        r = scan_file_path(path)
        out[path] = {"flagged": r.issues_count > 0, "noticed": r.suspicious_count > 0,
                     "error": bool(r.scan_err)}
    except Exception as exc:
        out[path] = {"flagged": False, "noticed": False, "error": True, "why": repr(exc)}
print(json.dumps(out))
"""


def run_warden(paths):
    # the user's project (the corpus's user_models) on the path, as for a scan in the project:
    # Warden's scanner reads names of the user's own modules statically
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), CORPUS) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "json", *paths],
        capture_output=True,
        text=True,
        env=env,
    )
    out = {}
    for report in json.loads(proc.stdout):
        verdict = report["verdict"]
        out[report["path"]] = {
            "flagged": verdict == "dangerous",
            "noticed": verdict == "suspicious",
            "error": verdict == "error",
        }
    return out


def run_picklescan(paths):
    proc = subprocess.run(
        [sys.executable, "-c", _PICKLESCAN, *paths], capture_output=True, text=True
    )
    return json.loads(proc.stdout)


def run_modelaudit(exe, paths):
    env = dict(os.environ, PROMPTFOO_DISABLE_TELEMETRY="1", NO_ANALYTICS="1")
    proc = subprocess.run(
        [exe, "scan", "--format", "json", "--no-cache", *paths],
        capture_output=True,
        text=True,
        env=env,
    )
    report = json.loads(proc.stdout)
    out = {p: {"flagged": False, "noticed": False, "error": False, "warnings": 0} for p in paths}
    for issue in report.get("issues", []):
        where = issue.get("location") or ""
        path = next((p for p in paths if where.startswith(p)), None)
        if path is None:
            continue
        severity = issue.get("severity")
        if severity == "critical":
            out[path]["flagged"] = True
        elif severity == "warning":
            out[path]["noticed"] = True
            out[path]["warnings"] += 1
        elif severity == "error":
            out[path]["error"] = True
    return out


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def summarise(name, results, red, good, seconds, big_seconds, big_result):
    flagged = sum(results[p]["flagged"] for p in red)
    noticed = sum(results[p]["noticed"] and not results[p]["flagged"] for p in red)
    red_err = sum(results[p]["error"] and not results[p]["flagged"] for p in red)
    false_alarms = sum(results[p]["flagged"] for p in good)
    good_noticed = sum(results[p]["noticed"] and not results[p]["flagged"] for p in good)
    good_err = sum(results[p]["error"] for p in good)
    return {
        "tool": name,
        "red_flagged": flagged,
        "red_only_suspicious": noticed,
        "red_missed": len(red) - flagged,
        "red_error": red_err,
        "benign_false_alarms": false_alarms,
        "benign_suspicious": good_noticed,
        "benign_error": good_err,
        "seconds_corpus": round(seconds, 2),
        "seconds_27mb_object_pickle": round(big_seconds, 2),
        "big_pickle": big_result,
        "missed": sorted(os.path.basename(p) for p in red if not results[p]["flagged"]),
        "false_alarms": sorted(os.path.basename(p) for p in good if results[p]["flagged"]),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelaudit", default="/tmp/ma-venv/bin/modelaudit")
    parser.add_argument("--json", help="also write the full results here")
    parser.add_argument("--smoke", action="store_true", help="3+3 files, a tiny object pickle")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="warden-corpus-bench-")
    red, good = build_corpora(work)
    rows_n = 600_000
    if args.smoke:  # checks the script itself, measures nothing
        red, good, rows_n = red[:3], good[:3], 1000
    big = write_object_pickle(os.path.join(work, "objects-600k.pkl"), rows_n)
    good_all = good + [big]
    paths = red + good_all
    total_mb = sum(os.path.getsize(p) for p in paths) / 1e6

    tools = [("Warden scan", run_warden), ("picklescan 1.0.5", run_picklescan)]
    if os.path.exists(args.modelaudit):
        tools.append(("ModelAudit 0.2.54", lambda ps: run_modelaudit(args.modelaudit, ps)))
    else:
        print(f"ModelAudit not found at {args.modelaudit}: not compared")
    rows = []
    for name, fn in tools:
        results, seconds = timed(fn, paths)
        big_results, big_seconds = timed(fn, [big])
        rows.append(summarise(name, results, red, good_all, seconds, big_seconds, big_results[big]))

    print(
        f"{len(red)} red-team files, {len(good_all)} benign files ({len(good)} corpus + the 27 MB "
        f"object pickle), {total_mb:.1f} MB in all"
    )
    head = "{:<18} {:>8} {:>6} {:>7} {:>6} {:>8} {:>6} {:>6} {:>9} {:>9}".format(
        "tool",
        "flagged",
        "susp",
        "missed",
        "error",
        "falsealm",
        "bsusp",
        "berror",
        "corpus s",
        "27MB s",
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            "{tool:<18} {red_flagged:>8} {red_only_suspicious:>6} {red_missed:>7} {red_error:>6} "
            "{benign_false_alarms:>8} {benign_suspicious:>6} {benign_error:>6} "
            "{seconds_corpus:>9} {seconds_27mb_object_pickle:>9}".format(**r)
        )
    for r in rows:
        print(f"\n{r['tool']}: missed {r['missed']}\n  false alarms {r['false_alarms']}")
        print(f"  27 MB object pickle: {r['big_pickle']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
