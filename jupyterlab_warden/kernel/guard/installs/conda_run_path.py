"""The folders ``conda run``/``mamba run``/``micromamba run`` put first on its command's PATH
(red team 88 F6's class, read from conda's activation: conda run activates the environment,
``PREFIX/bin`` in front of PATH, then runs the command): what the command runs by name (tar
runs gzip) is found in the environment's ``bin`` first, so a program written there since the
kernel started runs unread unless the command is read with that folder on its PATH (the rule
of ``uv_run_path`` for ``uv run``).

Which environment (conda 24, micromamba 2): ``-p/--prefix PREFIX``; ``-n/--name NAME`` in
the environments folders (``ROOT/envs`` of conda's root: ``-r/--root-prefix``,
``MAMBA_ROOT_PREFIX``, ``CONDA_ROOT``, the conda program's own prefix; ``~/.conda/envs``;
``CONDA_ENVS_PATH``/``CONDA_ENVS_DIRS``), ``base`` the root itself; neither: the active
environment (``CONDA_PREFIX``), else the root. Warden does not decide between them: every
candidate's ``bin`` is put in front, so a new program in any is read. A condarc's
``envs_dirs`` is not followed (``sources._conda`` says so for installs); the activation's
``etc/conda/activate.d`` scripts, which conda run sources before the command, are not read:
``activation_scripts`` names those changed since the kernel started, refused by the caller."""

import glob
import os
from typing import Dict, List

from .kernel_age import changed_since_start

# options of `conda run` (and its global ones) that name the environment or conda's root
_PREFIX = ("-p", "--prefix")
_NAME = ("-n", "--name")
_ROOT = ("-r", "--root-prefix")


def _values(options: List[str], names: tuple) -> List[str]:
    found = []
    for i, word in enumerate(options):
        option, eq, value = word.partition("=")
        if option in names:
            found.append(value if eq else (options[i + 1] if i + 1 < len(options) else ""))
        elif len(word) > 2 and word[:2] in names and not word.startswith("--"):
            found.append(word[2:])  # -pPREFIX
    return found


def prefixes(options: List[str], env: Dict[str, str], program: str, cwd: str) -> List[str]:
    """The environments ``conda run`` with ``options`` (the words before its command) may
    activate, each once; ``program``: the conda program's path ('' when unknown)."""

    def placed(folder: str) -> str:
        return os.path.normpath(os.path.join(cwd, os.path.expanduser(folder)))

    roots = _values(options, _ROOT) + [
        env.get(name, "") for name in ("MAMBA_ROOT_PREFIX", "CONDA_ROOT")
    ]
    for exe in (program, env.get("CONDA_EXE", ""), env.get("MAMBA_EXE", "")):
        if exe:
            roots.append(os.path.dirname(os.path.dirname(os.path.realpath(exe))))
    roots = [placed(r) for r in roots if r.strip()]
    found = [placed(p) for p in _values(options, _PREFIX) if p.strip()]
    for name in _values(options, _NAME):
        if name == "base":
            found += roots
            continue
        envs = [os.path.join(root, "envs") for root in roots] + ["~/.conda/envs"]
        for var in ("CONDA_ENVS_PATH", "CONDA_ENVS_DIRS"):
            envs += [f for f in env.get(var, "").split(os.pathsep) if f.strip()]
        found += [os.path.join(placed(folder), name) for folder in envs]
    if not _values(options, _PREFIX + _NAME):
        active = env.get("CONDA_PREFIX", "").strip()
        found += ([placed(active)] if active else []) + roots
    return list(dict.fromkeys(found))


def bin_folders(found: List[str]) -> List[str]:
    """The ``bin`` folder of each environment of ``found`` that is there: a PATH the line
    changes is one a Python's guard may not survive (``commands._guard_lost``), so a guess
    that names no folder (``-n x`` in ~/.conda/envs) is not put on it."""
    return [os.path.join(p, "bin") for p in found if os.path.isdir(os.path.join(p, "bin"))]


def activation_scripts(found: List[str]) -> List[str]:
    """The activation scripts of ``found``'s environments changed since the kernel started:
    conda run sources them before its command, unread."""
    return [
        path
        for prefix in found
        for path in sorted(glob.glob(os.path.join(glob.escape(prefix), "etc/conda/activate.d/*")))
        if changed_since_start(path)
    ]
