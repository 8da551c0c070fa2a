"""The folders ``uv run CMD`` puts first on CMD's PATH (red team 86 F8): uv runs CMD in the
environment it chose, with that environment's scripts folder (``bin``) in front of the PATH
it was given, so CMD's names (``python``, and what CMD runs by name: tar runs gzip) are
found there first: a program written there since the kernel started runs unread unless CMD
is read with that folder on its PATH.

Which environment uv chooses (uv 0.13.9, ``uv run``; the same places ``uv_discovery`` walks
for the Python uv queries):
- in a project (a ``pyproject.toml`` from the working folder up) and without
  ``--no-project``: the project's environment, ``UV_PROJECT_ENVIRONMENT`` placed from the
  project's root (a workspace's root is one of the roots above), else the root's ``.venv``;
  with ``--active``, the active ``VIRTUAL_ENV`` instead;
- else the first environment discovery finds: ``VIRTUAL_ENV``, ``CONDA_PREFIX``, the nearest
  virtual environment from the working folder up (a folder holding ``pyvenv.cfg``, or a
  ``.venv``).

Warden does not decide between them: every one of these folders is put first, the one uv
most likely chooses in front (its order only decides which file of a name Warden reads
for CMD itself), so each program file written since the kernel started in any of them is
read (``commands._refuse_path_programs``) and a writer on the line into any of them is
refused (``_refuse_path_written``). Still open: ``--with``, ``--isolated`` and a script's
inline metadata layer an ephemeral environment from uv's cache in front of these (see the
threat model)."""

import os
from typing import Dict, List

from .uv_discovery import upward


def scripts_folders(options: Dict[str, list], env: Dict[str, str], cwd: str) -> List[str]:
    """The ``bin`` folders ``uv run`` (its options ``options``, as ``uv_inputs._command_line``
    reads them) may put first on its command's PATH, from the working folder ``cwd`` (absolute),
    most likely first; each once."""
    roots = [f for f in upward(cwd) if os.path.isfile(os.path.join(f, "pyproject.toml"))]
    named = env.get("UV_PROJECT_ENVIRONMENT", "").strip()
    project = []
    for root in roots:
        if named:
            project.append(os.path.join(root, os.path.expanduser(named)))
        project.append(os.path.join(root, ".venv"))
    if named and not roots:
        project.append(os.path.join(cwd, os.path.expanduser(named)))
    found = []
    for name in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        value = env.get(name, "").strip()
        if value:
            found.append(os.path.join(cwd, os.path.expanduser(value)))
    for folder in upward(cwd):
        if os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
            found.append(folder)
            break
        venv = os.path.join(folder, ".venv")
        if os.path.isdir(venv):
            found.append(venv)
            if os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
                break
    in_project = bool(roots) and "--no-project" not in options and "--active" not in options
    ordered = project + found if in_project else found + project
    return list(dict.fromkeys(os.path.join(os.path.normpath(f), "bin") for f in ordered))
