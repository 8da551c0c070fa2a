"""The path a path requirement's text names, as each installer reads it (red team 48b R48b-7).

pip and uv end a path or URL at different places, so one text may name two folders. Warden
reads every folder either may build (``local_projects``): each reading here, distinct, is
opened as its installer opens it (``installer_paths.requirement``).

- pip, a line (``req.constructors.parse_req_from_line``, pip 23.2): a marker starts at the
  first ``;`` of a path, but only at ``"; "`` (with the space) in a URL (``file:``...), so
  ``file:///W/x;y`` is the folder ``x;y``. The rest is stripped; a ``name @ URL`` names its
  URL; a bare path is ``normpath``-ed, then a final non-empty ``[extras]`` is cut and the
  white space before it kept (``./x [y]`` is the folder ``x ``), a ``#`` kept (``./x#c`` is
  the folder ``x#c``).
- pip, an editable (``parse_editable``): no marker at all; the final ``[extras]`` cut, the
  rest taken whole (``-e ./x;y`` is the folder ``x;y``).
- uv (uv-pep508 ``parse_url`` / ``parse_unnamed_url``, checked with uv 0.13.9): the path or
  URL runs to a line break, to white space followed only by white space, ``;`` or ``#``, or to
  a ``;`` or ``#`` followed by white space (outside brackets for a bare path), so ``./x;y`` is
  the folder ``x;y``; a bare path's final ``[extras]`` (even empty) is cut and the white
  space before it kept (``./x [y]`` is the folder ``x ``); a ``#`` is its fragment, cut. A
  ``name @ URL`` keeps any ``[...]`` in its URL; a ``name @ REF`` whose REF is no URL
  (``name @ ./x``, ``name@x``) is the path REF, its ``#`` fragment cut (red team 50d R50d-2;
  pip refuses the form, or builds the folder the whole text names). White space is uv's
  (Unicode White_Space), not Python's: U+001C..U+001F are part of a path to uv (R49a-4).

A URL's ``#`` fragment is left to the URL reading (``installer_paths``). src/deps/
pathreadings.ts ports this module.
"""

import os
import re
from typing import List, Tuple

# `name [extras] @ file:...`: a named reference to a local file or folder (either installer)
_NAMED_FILE = re.compile(r"^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?\s*@\s*(file:.*)$", re.S)
# `name [extras] @ REF`: uv takes a REF that is no URL for a path (R50d-2; pip refuses it)
_NAMED = re.compile(r"^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?\s*@\s*(.*)$", re.S)
_PIP_EXTRAS = re.compile(r"^(.+)(\[[^\]]+\])$", re.S)  # pip's _strip_extras
_UV_EXTRAS = re.compile(r"^(.*)\[[^\]]*\]$", re.S)  # uv's split_extras: the last `[` after any `]`
# pip's is_url: a scheme it fetches (vcs ones included); a path requirement has only file:
_PIP_SCHEMES = ("file", "http", "https", "git", "hg", "svn", "bzr")
# white space as uv (Rust's ``char::is_whitespace``, Unicode White_Space) reads it: Python's
# ``str.isspace`` (pip's reading) also counts the separators U+001C..U+001F, which uv keeps in
# a path (red team 49a R49a-4: ``./d\x1c;x ;marker`` is the folder ``d\x1c;x`` to uv)
_UV_WHITE = "".join(
    map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028,
              0x2029, 0x202F, 0x205F, 0x3000])
)  # fmt: skip


def readings(text: str) -> List[Tuple[str, str]]:
    """Each distinct (tool, path text) ``text`` names: pip's line and editable readings, then
    uv's. A URL's fragment is kept (its URL reading drops it); a bare path's is as its
    installer reads it."""
    found: List[Tuple[str, str]] = []
    for tool, path in (("pip", pip_line(text)), ("pip", pip_editable(text)), ("uv", uv(text))):
        if (tool, path) not in found:
            found.append((tool, path))
    return found


def pip_line(text: str) -> str:
    """pip's reading of a requirement line or argument (see the module doc)."""
    text = text.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    is_url = scheme.split("+", 1)[0] in _PIP_SCHEMES and scheme != ""
    text = text.split("; " if is_url else ";", 1)[0].strip()
    named = _NAMED_FILE.match(text)
    if is_url or named:
        return named.group(1).strip() if named else text
    path = os.path.normpath(text) if text else text
    cut = _PIP_EXTRAS.match(path)
    return cut.group(1) if cut else path


def pip_editable(text: str) -> str:
    """pip's reading of ``-e TEXT`` (see the module doc)."""
    cut = _PIP_EXTRAS.match(text)
    return cut.group(1) if cut else text


def uv(text: str) -> str:
    """uv's reading (see the module doc): a bare path's extras and fragment cut."""
    text = text.lstrip(_UV_WHITE)
    named = _NAMED.match(text)
    if named:  # a named URL keeps any `[...]`; a named path (R50d-2) loses its fragment
        ref = _uv_url(named.group(1), brackets=False)
        return ref if ref[:5] == "file:" else ref.split("#", 1)[0]
    path = _uv_url(text, brackets=True)
    cut = _UV_EXTRAS.match(path)
    path = cut.group(1) if cut else path
    return path if path[:5] == "file:" else path.split("#", 1)[0]


def _uv_url(text: str, brackets: bool) -> str:
    """Where uv-pep508 ends a URL or path that starts ``text`` (see the module doc)."""
    depth, i = 0, 0
    while i < len(text):
        c = text[i]
        if c in "\r\n":
            break
        if brackets and c in "[]":
            depth = depth + 1 if c == "[" else max(depth - 1, 0)
        if depth == 0 and c in _UV_WHITE:
            rest = text[i:].lstrip(_UV_WHITE)
            if not rest or rest[0] in ";#":
                break
        i += 1
        after = text[i + 1 : i + 2]
        if depth == 0 and text[i : i + 1] in (";", "#") and after and after in _UV_WHITE:
            break
    return text[:i]
