"""Python source the frontend runs (one silent execute request) to guard a running kernel.

``bootstrap_source(policy)`` embeds the guard's and the scanner's own sources, so it works in a
kernel whose environment does not have ``jupyterlab_warden`` installed (a conda env, a remote
kernel). If a guard is already active in the kernel (the admin's launcher, or an earlier
bootstrap) it only updates that guard's policy. Either way it leaves ``_warden_guard_status``
in the user namespace: a JSON string (see ``guard.status()``) whose repr is the JSON itself,
so ``user_expressions`` returns plain JSON in ``data["text/plain"]``.

Frontend usage::

    kernel.requestExecute({code: source, silent: true, store_history: false,
                           user_expressions: {warden: "_warden_guard_status"}})

``confirm_source(fingerprint, justification)`` is the source for recording a user's
confirmation of a finding whose rule action is 'confirm'.
"""

import json
from pathlib import Path
from typing import Dict, Optional

from ..kernel.contracts import rule_catalog

# The kernel package, embedded whole under another name (it imports only itself and stdlib).
_KERNEL_DIR = Path(__file__).resolve().parent.parent / "kernel"
_EMBEDDED_MODULES = ("environ", "event_spool", "json_read")
EMBEDDED_PACKAGE = "_jupyterlab_warden_embedded"
STATUS_VARIABLE = "_warden_guard_status"
AUDIT_EVENT = "jupyterlab_warden.kernel.guard"  # guard/__init__.py: the guard's command channel

_TEMPLATE = r'''
def _warden_bootstrap(policy_json, rules_json, sources_json, update, key_hex):
    import importlib, importlib.util, json, sys, types
    policy = json.loads(policy_json)
    rules = json.loads(rules_json)
    box = []
    sys.audit(%(event)r, "ping", None, box)  # a guard already active answers (any copy)
    if box:
        # this frontend registered the comm target before running this: an earlier comm
        # (opened at the kernel's start or for another page) never reaches it (events.py)
        sys.audit(%(event)r, "frontend", None, [])
        answer = []
        if update is not None:
            # the lab server's update, signed with this kernel's key (guard/authority.py)
            sys.audit(%(event)r, "server_policy", update, answer)
        else:
            # no key for this kernel on the server: the guard's policy can only tighten
            sys.audit(%(event)r, "tighten", (policy, None), answer)
        return json.dumps(answer[0])
    pkg = %(package)r
    sources = json.loads(sources_json)

    class _Loader:
        def create_module(self, spec):
            return None

        def exec_module(self, module):
            path = sources[module.__name__]
            code = compile(path[1], "<jupyterlab-warden>/" + path[0], "exec")
            exec(code, module.__dict__)

    class _Finder:
        def find_spec(self, fullname, path=None, target=None):
            if fullname not in sources:
                return None
            is_pkg = sources[fullname][0].endswith("__init__.py")
            return importlib.util.spec_from_loader(fullname, _Loader(), is_package=is_pkg)

    if pkg not in sys.modules:
        root = types.ModuleType(pkg)
        root.__path__ = []
        sys.modules[pkg] = root
        sys.meta_path.append(_Finder())
    guard = importlib.import_module(pkg + ".guard")
    key = bytes.fromhex(key_hex) if key_hex else None
    guard.install(policy, rules=rules, update_key=key)
    return json.dumps(guard.status())


class _WardenStatus(str):
    """A JSON string whose repr is the JSON itself, so user_expressions' text/plain parses."""

    __slots__ = ()

    def __repr__(self):
        return str.__str__(self)


try:
    %(status)s = _WardenStatus(
        _warden_bootstrap(%(policy)r, %(rules)r, %(sources)r, %(update)r, %(key)r))
except Exception as _warden_error:
    import json as _warden_json
    %(status)s = _WardenStatus(_warden_json.dumps(
        {"installed": False, "error": repr(_warden_error)[:500]}))
    del _warden_json, _warden_error
del _warden_bootstrap, _WardenStatus
'''


def embedded_sources() -> Dict[str, list]:
    """Module name -> [relative path, source] for the guard and scanner packages and the kernel
    package's own modules they import (the embedded package stands in for ``kernel``)."""
    out = {}
    for name in _EMBEDDED_MODULES:
        path = _KERNEL_DIR / f"{name}.py"
        out[f"{EMBEDDED_PACKAGE}.{name}"] = [path.name, path.read_text(encoding="utf-8")]
    for sub in ("guard", "scan"):
        for path in sorted((_KERNEL_DIR / sub).rglob("*.py")):  # with subpackages
            if path.name in ("launch.py", "kernelspec.py", "__main__.py"):
                continue  # launch-time tools, not needed inside a running kernel
            relative = path.relative_to(_KERNEL_DIR)
            parts = relative.with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((EMBEDDED_PACKAGE,) + parts)
            out[name] = [relative.as_posix(), path.read_text(encoding="utf-8")]
    return out


def runtime_rules() -> Dict[str, dict]:
    return {rid: rule for rid, rule in rule_catalog().items() if rule["layer"] == "runtime"}


def bootstrap_source(
    policy: Optional[dict], update: Optional[dict] = None, install_key: Optional[bytes] = None
) -> str:
    """Source code that installs (or updates) the guard with ``policy`` in a running kernel.

    ``update``: the same policy signed for this kernel (``KernelKeys.seal``), which a guard
    already active adopts even if it loosens; without it an active guard only tightens.
    ``install_key``: the key a guard installed by this source accepts updates with (a kernel
    this server did not launch, e.g. a remote one)."""
    return _TEMPLATE % {
        "event": AUDIT_EVENT,
        "package": EMBEDDED_PACKAGE,
        "status": STATUS_VARIABLE,
        "policy": json.dumps(policy or {}),
        "rules": json.dumps(runtime_rules()),
        "sources": json.dumps(embedded_sources()),
        "update": update,
        "key": install_key.hex() if install_key else None,
    }


def confirm_source(fingerprint: str, justification: str = "") -> str:
    """Source that records a user's confirmation of one finding in the kernel's guard."""
    return (
        f"__import__('sys').audit({AUDIT_EVENT!r}, 'confirm', "
        f"({str(fingerprint)!r}, {str(justification)[:2000]!r}), [])"
    )
