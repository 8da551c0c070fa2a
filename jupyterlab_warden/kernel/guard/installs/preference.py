"""Settings that change which release the resolver prefers (red team 43b R43b-1, R43b-5).

``specifiers.reaches`` lets a specifier set with no upper bound past a listed (older) release
because pip and uv take the newest release it allows. That holds only without these settings:
uv's ``--resolution lowest``/``lowest-direct``, ``--exclude-newer`` (the newest release left
out by its upload date), pip's ``--prefer-binary``/``--only-binary``/``--no-binary`` and uv's
``--no-binary``/``--no-build`` (the newest release's only file an sdist, or a wheel, passed
over), ``--python-version``/``--platform`` (the newest release's files made not to fit), newer
pip's ``--uploaded-prior-to``. With one of them set, ``InstallRequest.order`` names it and
every specifier set counts as bounded: a listed release it may allow is reached.

Pre-releases: pip and uv take the newest FINAL release unless pre-releases are enabled
(pip ``--pre``, uv ``--prerelease allow``..., uv's ``--prerelease-package P=allow`` for one
package: red team 45a R45a-6) or the specifier names one (``>=1.1rc1``).
``InstallRequest.pre`` names the settings that enable them; then a listed pre-release the set
may allow is reached (a hijacked pre-release upload above every final release).

The installers read each setting from the command line, the environment and their config
files (pip.conf, uv.toml, ``[tool.uv]``): every reader calls ``note`` with the option's name
as the installer spells it there (pip's key without dashes, uv's setting key or variable).

Every uv option of ``schema/uv-cli.json`` is either classified here or listed as one that does
not change which release is taken (``tests/deps/test_fix51_preference.py``, R45a-6): a new
option in that file fails the test until someone decides which it is. A per-package form of a
setting classified here (``<setting>-package``) counts as the setting does, so a uv release
that adds one is read, not passed over.
"""

from ..frozen_builtins import FROZEN

# the builtins of the boot for this module's functions, as decide.py (red team 38a R38a-1)
__builtins__ = FROZEN

# pip options (pip's key: command line without ``--``, PIP_<NAME>, pip.conf) that change
# which release pip takes; a boolean one only when set true
_PIP_ORDER = frozenset(
    ("prefer-binary", "only-binary", "no-binary", "python-version", "platform",
     "implementation", "abi", "uploaded-prior-to")
)  # fmt: skip
_PIP_FLAGS = frozenset(("prefer-binary", "pre"))
# uv settings (the command line's option without ``--``, uv.toml / [tool.uv] keys, and the
# UV_ variables below) that change which release uv takes
_UV_ORDER = frozenset(
    ("resolution", "exclude-newer", "exclude-newer-package", "no-binary", "no-binary-package",
     "only-binary", "no-build", "no-build-package", "python-version", "python-platform",
     "fork-strategy")
)  # fmt: skip
_UV_FLAGS = frozenset(("no-binary", "no-build", "pre"))
UV_VARS = {
    "UV_RESOLUTION": "resolution",
    "UV_EXCLUDE_NEWER": "exclude-newer",
    "UV_PRERELEASE": "prerelease",
    "UV_NO_BINARY": "no-binary",
    "UV_NO_BINARY_PACKAGE": "no-binary-package",
    "UV_NO_BUILD": "no-build",
    "UV_NO_BUILD_PACKAGE": "no-build-package",
    "UV_FORK_STRATEGY": "fork-strategy",
}
# a value that keeps the newest release first: uv's default resolution; "requires-python"
# is uv's default fork strategy (newest per Python version range)
_DEFAULTS = {"resolution": ("highest",), "fork-strategy": ("requires-python",)}
# uv prerelease modes that never take a pre-release where a final one fits (the default
# if-necessary-or-explicit takes one the specifier names: ``specifiers.names_pre``)
_UV_FINAL_ONLY = ("disallow", "if-necessary-or-explicit")
_PACKAGE = "-package"
_FALSE = ("0", "false", "no", "off", "n", "f")


def note(request, tool: str, key: str, value, origin: str) -> None:
    """Record on ``request`` a ``tool`` ("pip" or "uv") setting ``key`` (without dashes) set
    to ``value`` (None for a flag on the command line; a string, bool or list from a config
    file) at ``origin``, when it changes which release the installer takes."""
    key = key.lower().replace("_", "-").lstrip("-")
    flags, order = (_PIP_FLAGS, _PIP_ORDER) if tool == "pip" else (_UV_FLAGS, _UV_ORDER)
    text = value if isinstance(value, str) else ""
    if value is False or (key in flags and text.strip().lower() in _FALSE and text.strip()):
        return  # ``PIP_PRE=0``, ``no-build = false``: not set
    if tool == "uv" and key == "prerelease" + _PACKAGE:
        # ``P=MODE`` (a list from a config file): MODE for P alone (R45a-6); a value Warden
        # cannot split counts as enabling them
        modes = [str(v).rpartition("=")[2] for v in (value if isinstance(value, list) else [text])]
        if any(m.strip().lower() not in _UV_FINAL_ONLY for m in modes):
            request.pre.append(f"prerelease-package {_shown(value)} ({origin})")
        return
    per = key[: -len(_PACKAGE)] if key.endswith(_PACKAGE) else ""
    if tool == "uv" and key not in order and per in order:
        # a per-package form (``P=VALUE``): its value is no default of the setting
        key, text = per, ""
    if key == "pre" or (key == "prerelease" and text.strip().lower() not in _UV_FINAL_ONLY):
        request.pre.append(f"{'--pre' if key == 'pre' else 'prerelease ' + text} ({origin})")
    elif key in order and text.strip().lower() not in _DEFAULTS.get(key, ()):
        shown = f"{key} {text}".strip() if text else key
        request.order.append(f"{shown[:80]} ({origin})")


def _shown(value) -> str:
    return (", ".join(map(str, value)) if isinstance(value, list) else str(value or ""))[:80]
