"""conda ``environment.yml``: its channels, conda dependencies and ``pip:`` dependencies.

Stdlib only, so a small reader for the shape conda documents (top-level ``channels:`` and
``dependencies:`` block lists, one nested ``- pip:`` list). Anything else that could change
where packages come from (YAML anchors, flow lists, ``--index-url`` inside ``pip:``) is read
as conda reads it or refused as a problem.
"""

import os
import re

from . import requirements
from .request import InstallRequest, Source


def read(request: InstallRequest, path: str, cwd: str, env: dict) -> None:
    label = os.path.basename(path)
    try:
        lines = requirements.read_regular_file(
            os.path.join(cwd, os.path.expanduser(path))
        ).splitlines()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read {label}: {exc.__class__.__name__}")
        return
    parse_lines(request, lines, label)


def parse_lines(request: InstallRequest, lines, label: str) -> None:
    from .arguments import conda_spec

    section, in_pip, pip_indent = None, False, 0
    for number, raw in enumerate(lines, 1):
        line = re.sub(r"\s+#.*$", "", raw).rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        origin = f"{label} line {number}"
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if any(mark in text for mark in ("&", "*", "[", "{")) and not text.startswith("- "):
            request.problems.append(f"{origin}: YAML Warden does not read (anchors, flow lists)")
            continue
        if indent == 0:
            key = text.split(":", 1)[0]
            section, in_pip = key, False
            continue
        if not text.startswith("- "):
            continue
        item = text[2:].strip().strip("'\"")
        if section == "channels":
            request.sources.append(Source(item, "channel", origin))
        elif section == "dependencies":
            if item.rstrip(":") == "pip" and item.endswith(":"):
                in_pip, pip_indent = True, indent
                continue
            if in_pip and indent > pip_indent:
                if item.startswith("-"):
                    words = item.split(None, 1)
                    requirements._file_option(request, words, origin, ".", {}, 0)
                else:
                    request.requirements.append(requirements.parse_requirement(item, origin))
                continue
            in_pip = False
            request.requirements.append(conda_spec(item, origin, request))
