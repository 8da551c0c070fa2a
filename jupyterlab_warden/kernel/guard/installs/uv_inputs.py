"""How uv reads a file given to ``-r``/``--with-requirements`` (and ``-c``/``--override``/
``-b``, ``UV_CONSTRAINT``...), by its name, as uv 0.13.9 does (``uv-requirements``
``RequirementsSource::from_requirements_file`` and ``from_requirements_txt_kind``; checked
against the binary, red team 11 R11-7). The static port is ``src/deps/uvinputs.ts``.

For ``-r``, a local file is, in this order: ``pyproject.toml``, ``setup.py``, ``setup.cfg``,
``environment.yml`` when its name is exactly that (case-sensitive); a PEP 751 lock when it is
``pylock.toml`` or ``pylock.<name>.toml``; a PEP 723 script when its extension is ``py`` or
``pyw`` in ANY case (``s.PY``, ``Setup.py``); an error for any other ``toml`` extension; a file
sniffed by its content when it has no extension (``reqs``, ``.hidden``: a ``# /// script``
block makes it a script, else requirements); requirements text otherwise (``s.txt``, ``s.``).
Constraints, overrides and build constraints are always requirements text (uv rejects the
metadata, lock and TOML names for them)."""

import os
import re

# kinds: what Warden does with each
REQUIREMENTS = "requirements"  # read as requirements text
PYPROJECT = "pyproject"  # read as project metadata
SNIFFED = "sniffed"  # requirements text unless it holds a PEP 723 block (refused then)
METADATA = "metadata"  # setup.py / setup.cfg: uv runs or parses them as a build does
SCRIPT = "script"  # a PEP 723 script's inline metadata
LOCK = "lock"  # a pylock.toml
REJECTED = "rejected"  # uv itself refuses it (other TOML, environment.yml)

# a PEP 723 block's opening line, as uv's `Pep723Metadata::parse` looks for it (any block
# type: uv reads `script`; loosely matched so a near-miss is refused, not read as lines)
PEP723_OPENING = re.compile(r"^#\s*///", re.MULTILINE)


def _extension(name: str):
    """Rust's ``Path::extension``: None without a dot or for a dot file with no other dot
    (``.hidden``), else the text after the last dot (``s.`` has the empty extension)."""
    stem, dot, extension = name.rpartition(".")
    return extension if dot and stem else None


def _pylock(name: str) -> bool:
    """PEP 751's names: ``pylock.toml``, ``pylock.<name>.toml`` (a name without dots)."""
    if name == "pylock.toml":
        return True
    if not (name.startswith("pylock.") and name.endswith(".toml")):
        return False
    middle = name[len("pylock.") : -len(".toml")]
    return bool(middle) and "." not in middle


def file_kind(path: str, requirements_only: bool = False) -> str:
    """The kind of input uv makes of the local file ``path``; ``requirements_only`` for the
    constraint-like options, which uv reads as requirements text whatever the name."""
    name = os.path.basename(path.rstrip("/"))
    extension = _extension(name)
    if requirements_only:
        if name in ("pyproject.toml", "setup.py", "setup.cfg") or _pylock(name):
            return REJECTED
        if extension is not None and extension.lower() == "toml":
            return REJECTED
        return REQUIREMENTS
    if name == "pyproject.toml":
        return PYPROJECT
    if name in ("setup.py", "setup.cfg"):
        return METADATA
    if name == "environment.yml":
        return REJECTED
    if _pylock(name):
        return LOCK
    if extension is not None and extension.lower() in ("py", "pyw"):
        return SCRIPT
    if extension is not None and extension.lower() == "toml":
        return REJECTED
    if extension is None:
        return SNIFFED
    return REQUIREMENTS
