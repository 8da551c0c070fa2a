"""Where an installer will look besides its command line: environment and config files.

pip: ``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``, ``PIP_FIND_LINKS``, ``PIP_NO_INDEX`` and the
config files pip reads (``PIP_CONFIG_FILE``, user, site and global ``pip.conf``; sections
``global`` and the command's own). uv: ``UV_INDEX_URL``, ``UV_DEFAULT_INDEX``,
``UV_EXTRA_INDEX_URL``, ``UV_INDEX``, ``UV_FIND_LINKS``. conda: ``CONDA_CHANNELS`` and the
``channels:`` of ``.condarc`` files (unless ``--override-channels``).

Every index named anywhere is decided, even one that another setting would override: Warden
need not guess pip's precedence to be right. With no index named, pip and uv use PyPI
(``DEFAULT_INDEX``), which is decided like any other.
"""

import configparser
import os
from typing import Dict, List

from .request import InstallRequest, Source

DEFAULT_INDEX = "https://pypi.org/simple"
DEFAULT_CONDA_CHANNEL = "defaults"


def add_implicit_sources(request: InstallRequest, env: Dict[str, str], program: str) -> None:
    if request.tool == "pip":
        _pip_env(request, env)
        _pip_config(request, env, program)
    elif request.tool == "uv":
        _uv_env(request, env)
    else:
        _conda(request, env)
    if request.tool in ("pip", "uv") and not request.no_index:
        if not any(s.role in ("index",) for s in request.sources):
            request.sources.append(Source(DEFAULT_INDEX, "default-index", "pip's default"))


def _split(value: str) -> List[str]:
    return [v for v in value.replace(",", " ").split() if v]


def _pip_env(request, env) -> None:
    for var, role in (
        ("PIP_INDEX_URL", "index"),
        ("PIP_EXTRA_INDEX_URL", "extra-index"),
        ("PIP_FIND_LINKS", "find-links"),
    ):
        for url in _split(env.get(var, "")):
            request.sources.append(Source(url, role, f"environment variable {var}"))
    if env.get("PIP_NO_INDEX", "").lower() in ("1", "true", "yes", "on"):
        request.no_index = True


def pip_config_files(env: Dict[str, str], program: str) -> List[str]:
    """pip's config files, lowest priority first (pip's ``get_configuration_files``)."""
    config_file = env.get("PIP_CONFIG_FILE")
    if config_file == os.devnull:
        return []
    home = env.get("HOME") or os.path.expanduser("~")
    xdg_dirs = env.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep)
    files = [os.path.join(d, "pip", "pip.conf") for d in xdg_dirs if d] + ["/etc/pip.conf"]
    files += [os.path.join(home, ".pip", "pip.conf")]
    files += [
        os.path.join(env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "pip", "pip.conf")
    ]
    prefixes = {env.get("VIRTUAL_ENV") or ""}
    if os.sep in program:  # /venv/bin/python -> /venv/pip.conf
        prefixes.add(os.path.dirname(os.path.dirname(os.path.abspath(program))))
    else:
        import sys

        prefixes.add(sys.prefix)
    files += [os.path.join(p, "pip.conf") for p in sorted(prefixes) if p]
    if config_file:
        files.append(config_file)
    return files


def _pip_config(request, env, program) -> None:
    command = request.command.split()[-1]
    for path in pip_config_files(env, program):
        if not os.path.isfile(path):
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError) as exc:
            request.problems.append(f"cannot read pip config {path}: {exc.__class__.__name__}")
            continue
        for section in ("global", command):
            if not parser.has_section(section):
                continue
            for key, role in (
                ("index-url", "index"),
                ("index_url", "index"),
                ("extra-index-url", "extra-index"),
                ("extra_index_url", "extra-index"),
                ("find-links", "find-links"),
                ("find_links", "find-links"),
            ):
                for url in _split(parser.get(section, key, fallback="")):
                    request.sources.append(Source(url, role, f"pip config {path} [{section}]"))


def _uv_env(request, env) -> None:
    for var, role in (
        ("UV_INDEX_URL", "index"),
        ("UV_DEFAULT_INDEX", "index"),
        ("UV_EXTRA_INDEX_URL", "extra-index"),
        ("UV_INDEX", "extra-index"),
        ("UV_FIND_LINKS", "find-links"),
    ):
        for url in _split(env.get(var, "")):
            url = url.split("=", 1)[1] if "=" in url and "://" not in url.split("=", 1)[0] else url
            request.sources.append(Source(url, role, f"environment variable {var}"))
    if env.get("UV_NO_INDEX", "").lower() in ("1", "true", "yes", "on"):
        request.no_index = True


def _conda(request, env) -> None:
    if request.override_channels:
        if not any(s.role == "channel" for s in request.sources):
            request.problems.append("--override-channels without any -c channel")
        return
    for channel in _split(env.get("CONDA_CHANNELS", "")):
        request.sources.append(Source(channel, "channel", "environment variable CONDA_CHANNELS"))
    home = env.get("HOME") or os.path.expanduser("~")
    rcs = ["/etc/conda/.condarc", "/etc/conda/condarc", os.path.join(home, ".condarc")]
    rcs += [os.path.join(home, ".config", "conda", ".condarc")]
    for var in ("CONDA_PREFIX", "CONDARC"):
        if env.get(var):
            rcs.append(env[var] if var == "CONDARC" else os.path.join(env[var], ".condarc"))
    found_channels = False
    for rc in rcs:
        channels = _condarc_channels(rc, request)
        found_channels = found_channels or bool(channels)
        for channel in channels:
            request.sources.append(Source(channel, "channel", f"conda config {rc}"))
    if not found_channels:
        request.sources.append(Source(DEFAULT_CONDA_CHANNEL, "channel", "conda's default"))


def _condarc_channels(path: str, request) -> List[str]:
    if not os.path.isfile(path):
        return []
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        request.problems.append(f"cannot read {path}: {exc.__class__.__name__}")
        return []
    channels, inside = [], False
    for line in lines:
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped:
            continue
        if not line.startswith((" ", "\t", "-")):
            inside = stripped.startswith(("channels:", "default_channels:", "channel_alias:"))
            if stripped.startswith("channel_alias:"):
                channels.append(stripped.split(":", 1)[1].strip())
            continue
        if inside and stripped.strip().startswith("- "):
            channels.append(stripped.strip()[2:].strip().strip("'\""))
    return channels
