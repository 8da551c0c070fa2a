"""What an install asks for, once its command line, files, environment and config are read."""

from typing import List, Optional


class Requirement:
    """One thing to install: a package name, or a direct reference (URL, VCS, local path)."""

    def __init__(self, text: str, name: Optional[str], kind: str, origin: str, pin=None):
        self.text = text  # as written (a URL's credentials removed: see redact_url)
        self.name = name  # PEP 503 normalized, when known
        self.kind = kind  # "name" | "url" | "vcs" | "path"
        self.origin = origin  # "command line", "requirements.txt line 3", ...
        self.pin = pin  # the version of an exact "==" pin, else None

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

    def names(self) -> List[str]:
        return [r.name for r in self.requirements if r.name]


def redact_url(url: str) -> str:
    """Drop credentials (``user:token@``) from a URL before it goes into a message or event."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    if "@" in host:
        host = "***@" + host.rpartition("@")[2]
    return f"{scheme}://{host}{slash}{path}"
