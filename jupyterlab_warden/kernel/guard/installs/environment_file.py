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
    base = os.path.dirname(os.path.join(cwd, os.path.expanduser(path)))
    parse_lines(request, lines, label, base, env)


def parse_lines(request: InstallRequest, lines, label: str, base: str = ".", env=None) -> None:
    """``base``: the file's folder, where conda runs pip (its ``-r`` files are found there).

    conda writes the ``pip:`` list to a requirements file there, one item a line, and runs
    ``pip install -U -r`` on it: each item is read as that file's line (options, ``${VAR}``,
    a requirement's own options), as the requirements-file reader reads any other."""
    from .arguments import conda_spec

    section, in_pip, pip_indent = None, False, 0
    for number, raw in enumerate(lines, 1):
        line = re.sub(r"\s+#.*$", "", raw).rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        origin = f"{label} line {number}"
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if _yaml_beyond_reader(text):
            # anchors, aliases, tags, flow lists and maps (`- pip: [pkg]`), block scalars
            request.problems.append(f"{origin}: YAML Warden does not read (anchors, flow lists)")
            continue
        if indent == 0 and not text.startswith("- "):
            key = text.split(":", 1)[0].strip().strip("'\"")
            section, in_pip = key, False
            continue
        if not text.startswith("- "):
            if section in ("channels", "dependencies"):
                request.problems.append(f"{origin}: YAML Warden does not read in {section}")
            continue
        item = text[2:].strip().strip("'\"")
        if section == "channels" and item == "nodefaults":
            # conda: "Including 'nodefaults' in the channels list disables the defaults": it
            # names no channel and drops the configured list, as --override-channels does
            request.override_channels = True
        elif section == "channels":
            request.sources.append(Source(item, "channel", origin))
        elif section == "dependencies":
            if item.rstrip(":") == "pip" and item.endswith(":"):
                in_pip, pip_indent = True, indent
                continue
            if in_pip and indent > pip_indent:
                request.conda_pip = True
                # the item at its own line number, so findings name the environment file's line
                text = "\n" * (number - 1) + item
                requirements.read_text(request, text, label, base, env or {})
                continue
            in_pip = False
            request.requirements.append(conda_spec(item, origin, request))


def _yaml_beyond_reader(text: str) -> bool:
    """Anchors, aliases, tags, flow lists and maps (``- pip: [pkg]``) or block scalars: YAML
    this reader does not follow, so the file is refused rather than half read. A list item's
    own value may hold version operators and extras (``numpy>=1.2``, ``x[torch]``)."""
    if not text.startswith("- "):
        return any(mark in text for mark in ("&", "*", "[", "{", "|", ">"))
    value = text[2:].lstrip()
    return value[:1] in ("&", "*", "!", "[", "{") or re.search(r":\s*[\[{&*!|>]", value) is not None
