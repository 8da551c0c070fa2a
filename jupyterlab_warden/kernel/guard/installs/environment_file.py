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

    section, in_pip, pip_indent, margin = None, False, 0, None
    for number, raw in enumerate(lines, 1):
        line = re.sub(r"\s+#.*$", "", raw).rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        origin = f"{label} line {number}"
        if line in ("---", "...") or line.startswith("%"):
            # a document's start or end marker, a directive: what follows is a document of its
            # own, read from its own first key (conda's loader takes one document)
            section, in_pip, margin = None, False, None
            continue
        if line.startswith(("--- ", "... ")):
            request.problems.append(
                f"{origin}: YAML Warden does not read (a document marker with content)"
            )
            continue
        indent = len(line) - len(line.lstrip())
        if margin is None:
            margin = indent  # YAML reads a document indented as a whole as at column 0 (R47c-7)
        if indent < margin:
            request.problems.append(
                f"{origin}: YAML Warden does not read (a line left of the document's first key)"
            )
            continue
        indent -= margin
        text = line.strip()
        if _yaml_beyond_reader(text):
            # anchors, aliases, tags, flow lists and maps (`- pip: [pkg]`), block scalars
            request.problems.append(f"{origin}: YAML Warden does not read (anchors, flow lists)")
            continue
        unread = _key_beyond_reader(text, indent, section)
        if unread:
            request.problems.append(f"{origin}: YAML Warden does not read ({unread})")
            if section is None:
                section = ""  # said once: the lines after it belong to no section read
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


# a tag or an anchor where a token starts (``!!str dependencies:``), which YAML reads as no part
# of the key's text
_TOKEN_MARK = re.compile(r"(^|\s)[!&*]")


def _key_beyond_reader(text: str, indent: int, section) -> str:
    """What about a line makes the keys this reader takes differ from YAML's (red team 47c
    R47c-7): YAML reads an explicit key (``? dependencies``
    / ``: value``), a double-quoted key's escapes (``"depend\\x65ncies"``) and a tagged key
    as the key they spell, which this reader would miss; '' when none of them."""
    if text[:1] in ("?", ":") and text[1:2] in ("", " "):
        return "an explicit key"
    if indent and section is None:
        return "a value before any top-level key"
    if indent == 0 and not text.startswith("- "):
        key = text.split(":", 1)[0]
        if key.startswith('"') and "\\" in key:
            return "an escape in a quoted key"
        if _TOKEN_MARK.search(key):
            return "a tag or anchor on a key"
    return ""
