"""Install a Python kernelspec whose kernels start with the guard already active.

    python -m jupyterlab_warden.kernel.guard.kernelspec install [--name python3]
        [--display-name NAME] [--user | --sys-prefix | --prefix DIR]
        [--policy-file FILE] [--spool-dir DIR]
    python -m jupyterlab_warden.kernel.guard.kernelspec remove [--name python3]

Installed under the name ``python3`` in ``--sys-prefix`` it replaces ipykernel's default spec
for that environment, so every notebook kernel runs ``jupyterlab_warden.kernel.guard.launch`` - even
when the client has no Warden extension.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

from ..environ import EVENT_SPOOL_ENV, POLICY_FILE_ENV

LAUNCH_MODULE = "jupyterlab_warden.kernel.guard.launch"


def kernel_json(display_name: str, policy_file=None, spool_dir=None, python=None) -> dict:
    # -P (3.11+): the notebook's folder is not put on sys.path before the guard is imported,
    # so a folder named jupyterlab_warden next to a notebook cannot replace the launcher.
    safe_path = ["-P"] if sys.version_info >= (3, 11) and python is None else []
    spec = {
        "argv": [
            python or sys.executable,
            *safe_path,
            "-m",
            LAUNCH_MODULE,
            "-f",
            "{connection_file}",
        ],
        "display_name": display_name,
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": True, "jupyter_warden": {"guard": "launch"}},
    }
    env = {}
    if policy_file:
        env[POLICY_FILE_ENV] = os.path.abspath(policy_file)
    if spool_dir:
        env[EVENT_SPOOL_ENV] = os.path.abspath(spool_dir)
    if env:
        spec["env"] = env
    return spec


def install(
    name="python3",
    display_name="Python 3 (Warden guard)",
    user=False,
    prefix=None,
    policy_file=None,
    spool_dir=None,
) -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "kernel.json"), "w", encoding="utf-8") as fh:
            json.dump(kernel_json(display_name, policy_file, spool_dir), fh, indent=1)
        _copy_logos(tmp)
        return KernelSpecManager().install_kernel_spec(tmp, name, user=user, prefix=prefix)


def _copy_logos(dest: str) -> None:
    try:
        from ipykernel.kernelspec import RESOURCES
    except ImportError:
        return
    for logo in os.listdir(RESOURCES):
        if logo.startswith("logo"):
            shutil.copy(os.path.join(RESOURCES, logo), dest)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_warden.kernel.guard.kernelspec")
    sub = parser.add_subparsers(dest="command", required=True)
    inst = sub.add_parser("install", help="install a kernelspec that starts kernels guarded")
    inst.add_argument("--name", default="python3")
    inst.add_argument("--display-name", default="Python 3 (Warden guard)")
    where = inst.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true")
    where.add_argument("--sys-prefix", action="store_true")
    where.add_argument("--prefix")
    inst.add_argument(
        "--policy-file", help="policy JSON for kernels started outside the lab server"
    )
    inst.add_argument(
        "--spool-dir", help="event spool folder for kernels started outside the lab server"
    )
    rem = sub.add_parser("remove", help="remove an installed kernelspec")
    rem.add_argument("--name", default="python3")
    args = parser.parse_args(argv)
    if args.command == "install":
        prefix = sys.prefix if args.sys_prefix else args.prefix
        path = install(
            args.name, args.display_name, args.user, prefix, args.policy_file, args.spool_dir
        )
        print(f"Installed guarded kernelspec {args.name!r} in {path}")
        return 0
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().remove_kernel_spec(args.name)
    except NoSuchKernel:
        print(f"No kernelspec named {args.name!r}", file=sys.stderr)
        return 1
    print(f"Removed kernelspec {args.name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
