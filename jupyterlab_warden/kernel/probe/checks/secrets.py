"""Credentials the kernel can reach: service-account token, secret-named variables, Jupyter tokens.

Names and paths only; values are never returned.
"""

from __future__ import annotations

import json
import re
from typing import List, Optional

from .. import procfs
from ..facts import K8S_SA_DIRS
from ..hostview import HostView
from .base import FAIL, PASS, Context, check


@check("sandbox-k8s-service-account-token")
def k8s_service_account_token(ctx: Context):
    for directory in K8S_SA_DIRS:
        path = directory + "/token"
        if ctx.view.exists(path):
            readable = ctx.access.readable(path)
            evidence = {"path": path, "readable": readable}
            return (FAIL if readable else PASS), evidence
    return PASS, {"path": None}


SECRET_NAME = re.compile(
    r"(^|_)(SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|APIKEY|API_KEY|ACCESS_KEY|ACCESS_KEY_ID"
    r"|PRIVATE_KEY|CREDENTIALS?|CONNECTION_STRING|SAS|SESSION_KEY|AUTH_KEY|CLIENT_SECRET)(_|$)"
)
SECRET_NAMES_EXACT = frozenset({"KAGGLE_KEY", "DATABASE_URL", "MONGO_URL", "REDIS_URL"})
# Names that look like secrets but hold paths to CA bundles or switches.
NOT_SECRET = re.compile(r"(_CA_BUNDLE|_CERT|_CAINFO|_CA_CERTS?_FILE|TOKENIZERS_PARALLELISM)$")
# Jupyter's own credentials get their own rule: they open the server or hub to the kernel.
JUPYTER_TOKEN_NAMES = ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")
URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:]*:[^/@]+@")


def secret_env_names(environ) -> List[str]:
    names = []
    for name, value in environ.items():
        upper = name.upper()
        if not value or upper in JUPYTER_TOKEN_NAMES or NOT_SECRET.search(upper):
            continue
        if SECRET_NAME.search(upper):
            names.append(name)
        elif upper in SECRET_NAMES_EXACT or (
            upper.endswith("_URL") and URL_WITH_PASSWORD.match(value)
        ):
            names.append(name)
    return sorted(names)


@check("sandbox-secrets-in-environment")
def secrets_in_environment(ctx: Context):
    names = secret_env_names(ctx.view.environ)
    return (FAIL if names else PASS), {"variables": names[:100]}


MAX_RUNTIME_FILES = 100
RUNTIME_FILE = re.compile(r"^(jpserver|nbserver)-\d+(-open\.html|\.json)$|^kernel-[\w.-]+\.json$")


def _runtime_dirs(view: HostView) -> List[str]:
    env = view.environ
    dirs = []
    if env.get("JUPYTER_RUNTIME_DIR"):
        dirs.append(env["JUPYTER_RUNTIME_DIR"])
    if env.get("JUPYTER_DATA_DIR"):
        dirs.append(env["JUPYTER_DATA_DIR"].rstrip("/") + "/runtime")
    if env.get("XDG_DATA_HOME"):
        dirs.append(env["XDG_DATA_HOME"].rstrip("/") + "/jupyter/runtime")
    if env.get("XDG_RUNTIME_DIR"):
        dirs.append(env["XDG_RUNTIME_DIR"].rstrip("/") + "/jupyter")
    homes = [env.get("HOME", ""), "/root"] + ["/home/" + n for n in view.listdir("/home", 100)]
    dirs += [h.rstrip("/") + "/.local/share/jupyter/runtime" for h in homes if h]
    unique = []
    for d in dirs:
        if d.startswith("/") and d not in unique:
            unique.append(d)
    return unique


def _own_connection_file(view: HostView) -> Optional[str]:
    args = procfs.parse_cmdline(view.read_text("/proc/self/cmdline", 65536) or "")
    for i, arg in enumerate(args):
        if arg == "-f" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--f="):
            return arg[4:]
    return None


def _holds_credential(name: str, text: str) -> bool:
    """Does a runtime file carry a token or key? Looks at it; never returns it."""
    if name.endswith(".html"):
        return "token=" in text
    try:
        data = json.loads(text)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    field = "key" if name.startswith("kernel-") else "token"
    value = data.get(field)
    return isinstance(value, str) and bool(value)


@check("sandbox-jupyter-token-readable")
def jupyter_token_readable(ctx: Context):
    env_names = sorted(n for n in JUPYTER_TOKEN_NAMES if ctx.view.environ.get(n))
    own = _own_connection_file(ctx.view)
    own_name = own.rsplit("/", 1)[-1] if own else None
    files = []
    budget = MAX_RUNTIME_FILES
    for directory in _runtime_dirs(ctx.view):
        for name in ctx.view.listdir(directory, 500):
            if budget <= 0:
                break
            if not RUNTIME_FILE.match(name):
                continue
            path = directory.rstrip("/") + "/" + name
            if path == own or (name == own_name and name.startswith("kernel-")):
                continue  # the kernel's own connection file is meant for it
            if not ctx.access.readable(path):
                continue
            budget -= 1
            text = ctx.view.read_text(path, 65536)
            if text is not None and _holds_credential(name, text):
                files.append(path)
    evidence = {"environment": env_names, "files": sorted(files)[:50]}
    return (FAIL if env_names or files else PASS), evidence
