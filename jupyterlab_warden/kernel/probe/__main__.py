"""``python -m jupyterlab_warden.kernel.probe [--root DIR]``: print the sandbox report as JSON."""

import argparse
import json

from .report import run_probe


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Report how well this Python is sandboxed.")
    parser.add_argument("--root", default="/", help="read /proc etc. under this directory")
    args = parser.parse_args(argv)
    print(json.dumps(run_probe(args.root), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
