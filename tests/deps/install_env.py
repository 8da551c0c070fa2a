"""Environment and event helpers of the install tests (a plain module, not conftest: test
modules import it by name, and every test folder has its own conftest)."""

import json
import os
from pathlib import Path

from jupyterlab_warden.kernel.guard.installs.uv_cache import UV_NO_CACHE_ENV

REPO = Path(__file__).resolve().parent.parent.parent
# what every guarded Python keeps in its environment: uv runs without its cache (uv_cache,
# red team 40b R40b-3); a test's start environment standing for a guarded one carries it
GUARDED_ENV = {UV_NO_CACHE_ENV: "1"}


def line_problems(line: str, cwd, path: str = "/usr/bin:/bin") -> list:
    """The problems the kernel's gate finds in shell ``line`` started from ``cwd`` (HOME there
    too) with a guarded start's environment and PATH ``path``."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    env = {"PATH": path, "HOME": str(cwd), **GUARDED_ENV}
    return [p for r in read_requests(None, line, env, str(cwd)) for p in r.problems]


def child_env(spool: Path, home: Path) -> dict:
    """A child environment without this machine's pip config or caches: only what the test
    names decides where pip looks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "WARDEN_"))}
    env.update(
        PYTHONPATH=str(REPO),
        WARDEN_EVENT_SPOOL=str(spool),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CONFIG_DIRS=str(home / "xdg"),
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_CACHE_DIR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def spooled(spool: Path) -> list:
    events = []
    for path in sorted(spool.glob("*.jsonl")):
        events += [json.loads(line) for line in path.read_text().splitlines()]
    return events
