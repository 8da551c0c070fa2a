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

    Each ``- pip:`` list is read as the requirements file conda writes from it
    (``_read_pip_list``)."""
    from .arguments import conda_spec

    section, in_pip, pip_indent, margin = None, False, 0, None
    pip_lists = []  # each ``- pip:`` list's items, as (line number, value)
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
                pip_lists.append([])
                continue
            if in_pip and indent > pip_indent:
                request.conda_pip = True
                value = _quoted_value(text[2:].strip())
                if value is None:
                    request.problems.append(
                        f"{origin}: YAML Warden does not read (an escape or an unclosed quote)"
                    )
                else:
                    pip_lists[-1].append((number, value))
                continue
            in_pip = False
            request.requirements.append(conda_spec(item, origin, request))
    # conda keeps the last `- pip:` map (dict.update); each is read, so every one is decided
    for items in pip_lists:
        _read_pip_list(request, items, label, base, env or {})


def _quoted_value(text: str):
    """A ``pip:`` item's value as YAML reads it, or None where this reader does not follow
    YAML (a double-quoted escape: ``"x\\n--index-url .."`` is two lines to conda)."""
    if text[:1] == "'":
        inner = text[1:-1] if len(text) > 1 and text.endswith("'") else None
        return None if inner is None else inner.replace("''", "'")
    if text[:1] == '"':
        inner = text[1:-1] if len(text) > 1 and text.endswith('"') else None
        return None if inner is None or "\\" in inner else inner
    return text


def _read_pip_list(request: InstallRequest, items, label: str, base: str, env: dict) -> None:
    """A ``pip:`` list read as the requirements file conda writes from it and pip reads
    (conda/env/installers/pip.py ``_pip_install_via_requirements``): the items joined by
    ``\\n``, written as UTF-8 to a temporary file beside the environment file (the system's
    temporary folder when that folder is not writable), read by ``pip install -U -r``. So pip
    decodes the whole list (``pip_decode``: a coding line among its first two items, fix60conda)
    and joins an item ending in a backslash with the next; each logical line is then read as
    any requirements file's, named by the environment file's line of its first item."""
    if not items:
        return
    numbers = [number for number, _ in items]
    written = "\n".join(value for _, value in items)
    origin = f"{label} line {numbers[0]}"
    try:
        read = requirements.pip_decode(written.encode("utf-8"))
    except (UnicodeError, LookupError) as exc:
        read = exc.__class__.__name__
    if read != written or len(written.splitlines()) > len(items):
        # a byte-order mark or a coding line makes pip read other lines than the items:
        # refused rather than read one way (the items) when pip reads another
        request.problems.append(
            f"{origin}: pip reads the requirements file conda writes from the pip: list in "
            "another encoding (a byte-order mark or a coding line among its first items)"
        )
        return
    writable = _writable(base)
    for first, line in requirements._logical_lines(written):
        at = f"{label} line {numbers[first - 1]}"
        if line.endswith("\\"):
            request.problems.append(f"{at}: cannot parse the line")
            continue
        if not writable and _relative_include(line):
            # pip finds a relative -r/-c beside the file conda wrote: in the system's
            # temporary folder, which anyone may write, not beside the environment file
            request.problems.append(
                f"{at}: a relative requirements file conda's pip looks for in the system's "
                "temporary folder (the environment file's folder is not writable): name it "
                "by its absolute path"
            )
            continue
        requirements.read_text(request, "\n" * (numbers[first - 1] - 1) + line, label, base, env)


def _writable(folder: str) -> bool:
    """conda's test for writing its file beside the environment file (``os.access``)."""
    return os.access(folder, os.W_OK)


_INCLUDES = ("-r", "--requirement", "-c", "--constraint")


def _relative_include(line: str) -> bool:
    """Whether ``line`` includes a requirements or constraints file by a relative path (an
    unparseable line counts: fail closed)."""
    import shlex

    try:
        words = shlex.split(line)
    except ValueError:
        return True
    for i, word in enumerate(words):
        value = None
        if word in _INCLUDES:
            value = words[i + 1] if i + 1 < len(words) else ""
        elif word.startswith(("--requirement=", "--constraint=")):
            value = word.split("=", 1)[1]
        elif word[:2] in ("-r", "-c") and len(word) > 2 and not word.startswith("--"):
            value = word[2:]
        if value is not None and not (os.path.isabs(value) or ":" in value.split("/", 1)[0]):
            return True
    return False


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
