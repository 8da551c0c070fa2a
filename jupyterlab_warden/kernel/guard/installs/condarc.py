"""conda's configuration files (``.condarc``): the channels they name.

Where conda looks (its ``SEARCH_PATH``, in order): ``/etc/conda``, ``/var/lib/conda``,
``$CONDA_ROOT`` (the base install, also taken from the program's path),
``$XDG_CONFIG_HOME/conda``,
``~/.config/conda``, ``~/.conda``, each as ``.condarc``, ``condarc`` and a ``condarc.d/``
folder of ``*.yml``/``*.yaml``; then ``~/.condarc``, ``$CONDA_PREFIX`` (same three) and
``$CONDARC``. mamba and micromamba also read ``~/.mambarc`` and ``$MAMBARC``: read for every
conda-like tool (stricter). Every channel named anywhere is decided.

Stdlib only, so a small reader: the top-level keys that name channels (``channels``,
``default_channels``, ``channel_alias``, ``custom_channels``, ``custom_multichannels``,
``mirrored_channels``), as block lists/maps or one-line flow lists/maps of plain scalars.
Anything else under those keys (anchors, aliases, tags, nested flow, block scalars) is a
problem: the install is refused rather than decided on a half-read file.
"""

import os
import re
from typing import Dict, List

from . import requirements

_CHANNEL_KEYS = frozenset(
    (
        "channels", "default_channels", "channel_alias", "custom_channels",
        "custom_multichannels", "mirrored_channels",
    )
)  # fmt: skip
# keys whose items are package specs conda adds to installs (`create_default_packages` to every
# `conda create`, the pins, the packages updated on every install): a spec's channel or URL is
# a channel; `use_local: true` adds the channel `local`
_SPEC_KEYS = frozenset(("create_default_packages", "pinned_packages", "aggressive_update_packages"))
_READ_KEYS = _CHANNEL_KEYS | _SPEC_KEYS | {"use_local"}
# what libmamba's expandvars replaces: $VAR, ${VAR} and (on every platform) %VAR%
_EXPANDED = re.compile(r"\$|%[^%\s]+%")
_BEYOND = re.compile(r"[&*!|>\[\]{}]")
_SCALAR = re.compile(r"""^(?:"[^"\\]*"|'[^']*'|[^'"\s,:\[\]{}&*!|>][^,\[\]{}]*?)$""")


def files(env: Dict[str, str], program: str, request=None, cwd: str = "") -> List[str]:
    """Every config file the tool of ``request`` may read (conda's search path; for
    micromamba/mamba 2 libmamba's too). A relative CONDARC/MAMBARC names a file under the
    folder the tool starts in, ``cwd`` (R14-26), not this process's."""
    home = env.get("HOME") or os.path.expanduser("~")
    roots = ["/etc/conda", "/var/lib/conda"]
    if env.get("CONDA_ROOT"):
        roots.append(env["CONDA_ROOT"])
    if os.sep in program:  # /opt/conda/bin/conda -> /opt/conda (its root install)
        roots.append(os.path.dirname(os.path.dirname(os.path.abspath(program))))
    if env.get("XDG_CONFIG_HOME"):
        roots.append(os.path.join(env["XDG_CONFIG_HOME"], "conda"))
    roots += [os.path.join(home, ".config", "conda"), os.path.join(home, ".conda")]
    out = []
    for root in roots:
        out += _three(root)
    out.append(os.path.join(home, ".condarc"))
    if env.get("CONDA_PREFIX"):
        out += _three(env["CONDA_PREFIX"])
    out.append(os.path.join(home, ".mambarc"))
    for var in ("CONDARC", "MAMBARC"):
        if env.get(var):
            path = os.path.join(cwd or os.getcwd(), os.path.expanduser(env[var]))
            out += _folder(path) if os.path.isdir(path) else [path]
    if request is not None and request.tool in ("mamba", "micromamba"):
        out += _libmamba(env, home, request)
    seen, unique = set(), []
    for path in out:
        if path not in seen:
            seen.add(path)
            unique.append(path)
    return unique


def _libmamba(env: Dict[str, str], home: str, request) -> List[str]:
    """libmamba's ``Configuration::compute_default_rc_sources``: ``/etc/conda`` and
    ``/var/lib/conda``, the root prefix, ``$XDG_CONFIG_HOME/mamba`` (or ``~/.config/mamba``)
    and ``~/.mamba`` (``.mambarc``, ``mambarc``, ``mambarc.d``), and the target prefix, each
    with ``.condarc``, ``condarc``, ``condarc.d`` and ``.mambarc``. The root prefix is ``-r``,
    ``$MAMBA_ROOT_PREFIX`` or a default (all read: stricter); the target prefix ``-p``, an
    env ``-n NAME`` under a root's or ``~/.conda``'s ``envs``, or ``$CONDA_PREFIX``.
    ``--no-rc``/``MAMBA_NO_RC`` are not honoured (stricter)."""
    roots = list(request.conda_roots)
    if env.get("MAMBA_ROOT_PREFIX"):
        roots.append(env["MAMBA_ROOT_PREFIX"])
    roots += [
        os.path.join(home, "micromamba"),
        os.path.join(home, ".local", "share", "mamba"),
    ]
    targets = list(request.conda_prefixes)
    for name in request.conda_env_names:
        for root in roots + [os.path.join(home, ".conda")]:
            targets.append(os.path.join(root, "envs", name))
    if env.get("CONDA_PREFIX"):
        targets.append(env["CONDA_PREFIX"])
    config = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    out = []
    for prefix in ["/etc/conda", "/var/lib/conda"] + roots + targets:
        out += _three(prefix) + [os.path.join(prefix, ".mambarc")]
    for folder in (os.path.join(config, "mamba"), os.path.join(home, ".mamba")):
        out += [os.path.join(folder, ".mambarc"), os.path.join(folder, "mambarc")]
        out += _folder(os.path.join(folder, "mambarc.d"))
    return out


def _three(root: str) -> List[str]:
    return [os.path.join(root, ".condarc"), os.path.join(root, "condarc")] + _folder(
        os.path.join(root, "condarc.d")
    )


def _folder(path: str) -> List[str]:
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return []
    return [os.path.join(path, n) for n in names if n.endswith((".yml", ".yaml"))]


def channels(path: str, problems: List[str], whole_file: bool = False) -> List[str]:
    """The channels (names or URLs) a condarc file names; what cannot be read goes to
    ``problems``. ``whole_file``: the tool expands variables in the whole text (libmamba)."""
    if not os.path.isfile(path):
        return []
    try:
        text = requirements.read_regular_file(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"cannot read {path}: {exc.__class__.__name__}")
        return []
    if whole_file and _EXPANDED.search(text):
        # libmamba's load_rc_file runs expandvars over the whole text before parsing: a
        # variable may become any key, a comment included
        problems.append(
            f"{path}: an environment variable mamba expands ($VAR, ${{VAR}}, %VAR%), "
            "which Warden does not follow"
        )
        return []
    return parse(text, path, problems)


def sets_envs_dirs(path: str, problems: List[str]) -> bool:
    """Whether a condarc file names ``envs_dirs`` (where ``-n NAME`` environments live)."""
    if not os.path.isfile(path):
        return False
    try:
        text = requirements.read_regular_file(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"cannot read {path}: {exc.__class__.__name__}")
        return False
    return "envs_dirs" in text or "envs_path" in text


def ssl_verify(path: str, problems: List[str]) -> str:
    """The top-level ``ssl_verify:`` value a condarc file sets ("" when none)."""
    if not os.path.isfile(path):
        return ""
    try:
        text = requirements.read_regular_file(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"cannot read {path}: {exc.__class__.__name__}")
        return ""
    found = ""
    for raw in text.splitlines():
        m = re.match(r"""^['"]?ssl_verify['"]?\s*:(.*)$""", raw)
        if m:
            found = re.sub(r"(^|\s)#.*$", "", m.group(1)).strip()
            if not found:
                problems.append(f"{path}: ssl_verify in a form Warden does not read")
    return found


def parse(text: str, label: str, problems: List[str]) -> List[str]:
    found, key = [], None
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line.strip() or line.strip() in ("---", "..."):
            continue
        where = f"{label} line {number}"
        if not line[0].isspace() and not line.startswith("-"):
            name, colon, value = line.partition(":")
            key = name.strip().strip("'\"")
            if name.lstrip().startswith("?") or not colon:
                if _mentions_channels(line):
                    problems.append(f"{where}: YAML Warden does not read")
                key = None
                continue
            if key in _READ_KEYS and value.strip():
                found += _values(key, _inline(value.strip(), where, problems), where, problems)
            continue
        if key not in _READ_KEYS:
            continue
        item = line.strip()
        if item.startswith("- "):
            item = item[2:].strip()
        elif item == "-":
            problems.append(f"{where}: YAML Warden does not read in {key}")
            continue
        else:
            # a map entry (custom_channels: name: url) or a nested map key
            _name, colon, value = item.partition(":")
            if colon and not value.strip():
                continue  # custom_multichannels: name: (its list follows)
            item = value.strip() if colon and not value.startswith("//") else item
        found += _values(key, _inline(item, where, problems), where, problems)
    return found


def _values(key: str, values: List[str], where: str, problems: List[str]) -> List[str]:
    """The channels that ``values`` of ``key`` name."""
    if any("$" in v for v in values):
        # conda expands $VAR and ${VAR} in these keys (expandvars=True, os.path.expandvars)
        # with the environment: `https://$X@host` may become another host
        problems.append(f"{where}: an environment variable in {key}, which Warden does not follow")
        return []
    if key == "use_local":
        return ["local"] if any(v.lower() not in ("false", "no", "off") for v in values) else []
    if key not in _SPEC_KEYS:
        return values
    from .arguments import conda_spec
    from .request import InstallRequest

    specs = InstallRequest("conda", key)
    for value in values:
        if conda_spec(value, where, specs).kind == "invalid":
            problems.append(f"{where}: {key} holds a package spec Warden cannot read")
    return [source.url for source in specs.sources]


def _inline(value: str, where: str, problems: List[str]) -> List[str]:
    """A scalar, or a one-line flow list/map of scalars (``[a, b]``, ``{name: url}``)."""
    if value[:1] in "[{" and value[-1:] == {"[": "]", "{": "}"}[value[0]]:
        out = []
        for part in value[1:-1].split(","):
            part = part.strip()
            if value[0] == "{" and ":" in part and not part.split(":", 1)[1].startswith("//"):
                part = part.split(":", 1)[1].strip()
            if not part:
                continue
            if not _SCALAR.match(part):
                problems.append(f"{where}: YAML Warden does not read (nested or unusual value)")
                return []
            out.append(part.strip("'\""))
        return out
    if _BEYOND.search(value[:1]) or not _SCALAR.match(value):
        problems.append(f"{where}: YAML Warden does not read (anchors, tags, flow lists)")
        return []
    return [value.strip("'\"")]


def _mentions_channels(line: str) -> bool:
    return any(key in line for key in _READ_KEYS)
