"""What an install asks for, once its command line, files, environment and config are read."""

from typing import List, Optional


class Requirement:
    """One thing to install: a package name, or a direct reference (URL, VCS, local path)."""

    def __init__(self, text: str, name: Optional[str], kind: str, origin: str, pin=None):
        self.text = text  # as written (a URL's credentials removed: see redact_url)
        self.name = name  # PEP 503 normalized, when known
        self.kind = kind  # "name" | "conda" (a conda package name) | "url" | "vcs" | "path"
        self.origin = origin  # "command line", "requirements.txt line 3", ...
        self.pin = pin  # the version of an exact "==" pin, else None
        self.base = None  # a relative path's other folder (its requirements file's, project's)

    def __repr__(self) -> str:
        return f"Requirement({self.text!r}, {self.kind})"


class Source:
    """A place packages come from: an index, a find-links location or a conda channel."""

    def __init__(self, url: str, role: str, origin: str):
        self.url = url
        self.role = role  # "index" | "extra-index" | "find-links" | "channel" | "default-index"
        self.origin = origin

    def __repr__(self) -> str:
        return f"Source({self.url!r}, {self.role}, {self.origin})"


class InstallRequest:
    def __init__(self, tool: str, command: str):
        self.tool = tool  # "pip" | "uv" | "conda" | "mamba"
        self.command = command  # "pip install", "uv pip sync", "conda create", ...
        self.requirements: List[Requirement] = []
        self.sources: List[Source] = []
        self.problems: List[str] = []  # what Warden could not read: the install is refused
        self.no_index = False
        self.override_channels = False
        self.uv_no_config = False  # uv --no-config: its config files are not discovered
        self.uv_config_file = None  # uv --config-file PATH
        self.also_uv = False  # pip's install that may run on uv (pipx): uv's config read too
        self.pip_config_extra: List[str] = []  # pip.conf files of the venvs pipx's pip runs in
        self.uv_config_dirs: List[str] = []  # other folders uv runs in (pipx's venvs): walked up

    def names(self) -> List[str]:
        return [r.name for r in self.requirements if r.name]


def redact_url(text: str) -> str:
    """``text`` (a URL, or a requirement such as ``pkg @ git+https://...``) with each URL in it
    reduced by ``_redact_one``."""
    import re

    if "://" not in text:
        return text
    return re.sub(r"[A-Za-z][A-Za-z0-9+.-]*://\S*", lambda m: _redact_one(m.group(0)), text)


def _redact_one(url: str) -> str:
    """A URL fit for a message or event: scheme, host, port and path only.

    Split as pip splits it (``urllib.parse.urlsplit``); credentials (``user:token@``, even with
    a ``/`` in the password), the query (``?private_token=``) and the fragment are dropped, each
    replaced by a marker so the user still sees that one was there.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<a URL Warden cannot parse>"
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    shown = f"{parts.scheme}://{'***@' if '@' in parts.netloc else ''}{host}"
    shown += f":{port}" if port is not None else ""
    shown += "/***" if "@" in parts.path else parts.path  # "user:pw/with/slash@host"
    shown += "?***" if parts.query else ""
    shown += "#***" if parts.fragment else ""
    return shown
