"""``python -m jupyterlab_warden.kernel.scan [--format text|json] [--mode default|strict] PATH...``

Exit status: 0 when every file is safe, 1 when any is suspicious, dangerous or unreadable
(verdict error), 2 on usage errors.
"""

import argparse
import json
import sys

from . import SAFE, scan_file
from .decide import GlobalPolicy


def _text(report) -> str:
    lines = [f"{report.path}: {report.verdict.upper()} ({report.format})"]
    for g in report.globals:
        where = f" in {g.where}" if g.where else ""
        lines.append(f"  {g.verdict:<10} {g.qualified}{where}  [{g.reason}]")
    for f in report.findings:
        where = f" in {f.where}" if f.where else ""
        lines.append(f"  {f.verdict:<10} {f.kind}: {f.detail}{where}")
    lines.extend(f"  note: {n}" for n in report.notes)
    lines.extend(f"  error: {e}" for e in report.errors)
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jupyterlab_warden.kernel.scan",
        description="Report the globals pickle-based model files would import, and the "
        "code Keras, TorchScript and YAML files would run, without loading them.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--mode",
        choices=("default", "strict"),
        default="default",
        help="strict: only ML-safe globals count as safe",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    args = parser.parse_args(argv)  # exits 2 on usage errors
    policy = GlobalPolicy(mode=args.mode)
    reports = [scan_file(p, policy, by_name=True) for p in args.paths]
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in reports], indent=2))
    else:
        print("\n".join(_text(r) for r in reports))
    return 0 if all(r.verdict == SAFE for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
