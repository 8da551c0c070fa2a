"""Whether an install's own output redirection may write a file the install reads (red team
54a R54a-3: ``uv pip install --index-url REFUSED -r r.txt P 2>r.txt``; the shell opens, and
empties, r.txt before uv starts, so what Warden read is not what uv reads). The static port is
``ownRedirectionProblem`` in ``src/deps/commands.ts``.

fix67writers refused a uv or conda install redirected into any file, which refused ordinary
lines (``uv pip install -r requirements.txt > install.log 2>&1``, ``uv run python train.py >>
log``). A redirection matters only when its target may be a file the install reads:

* a file its words or the line's assignments name (``-r``, ``-c``, ``--override``,
  ``--config-file``, ``-f``, ``--env-file``, the script ``uv run`` runs, ``UV_CONFIG_FILE=``,
  ``CONDARC=``...): every word and value is taken as a name, options' values too (``-rr.txt``,
  ``--file=e.yml``), not only the options that name files; compared by file name (the folder
  uv reads it from may not be the line's: ``uv --directory d``) and by real path;
* a config file the reading itself lists (``uv_config.config_files``, ``condarc.files``, with
  the kernel's variables and the line's: ``UV_CONFIG_FILE``, ``CONDARC``, the user's files);
* a file the tool discovers by its name in the folder it runs in or a parent (``DISCOVERED``),
  wherever the target is (stricter: nobody logs into a uv.toml);
* a target Warden cannot place: a variable, a substitution, a glob or brace, an existing folder,
  a name ending in ``/``, a line whose folder is not known. Fail closed.

Any other file (``install.log``, ``out/log.txt``) is allowed. A link is compared by what it
leads to (a log.txt that links to uv.toml is uv.toml).
"""

import os
import re
from typing import Dict, Iterable, List, Optional, Set

# names uv, conda and the installers they run find by themselves in the working folder or its
# parents (uv's project and config discovery, its Python version files, the locks it reads, a
# pip's config, conda's env file default), beside the readings' own lists of config files
DISCOVERED = frozenset(
    (
        "uv.toml", "pyproject.toml", "uv.lock", "pylock.toml", ".python-version",
        ".python-versions", "setup.py", "setup.cfg", ".condarc", "condarc", ".mambarc",
        "pip.conf", "pip.ini", "environment.yml", "environment.yaml", ".env",
    )
)  # fmt: skip
_PYLOCK = re.compile(r"^pylock\.[^/]*\.toml$")  # PEP 751: pylock.<name>.toml
# what the shell expands in a target (a variable, a substitution, a glob, a brace list, ~user)
_UNPLACED = re.compile(r"[$`*?\[{]")
# a variable's value may be a list of files (UV_ENV_FILE: spaces; a search path: os.pathsep)
_LIST_SEPARATORS = re.compile(r"[\s" + re.escape(os.pathsep) + "]+")

MESSAGE = (
    "the install's own output redirection writes a file before the install starts (the shell "
    "opens it first), and {what}: run the install as its own command, or redirect its output "
    "into another file (an install.log)"
)


def problem(inv, written: List[str], env: Dict[str, str], folder: Optional[str]) -> str:
    """Why the redirections ``written`` (the targets of the install ``inv``'s own output
    redirections to files: a ``commands.Invocation``) may change what Warden decided ('' when
    none can). ``env``: the environment the install starts with (the kernel's and the line's;
    only the line's values are taken as names, ``inv.env``); ``folder``: where it runs, from
    this process's folder (None: not known)."""
    for target in written:
        if _UNPLACED.search(target) or target.endswith("/") or folder is None:
            return MESSAGE.format(what="Warden cannot tell which file it writes")
        real = os.path.realpath(os.path.join(folder, os.path.expanduser(target)))
        if os.path.isdir(real):
            return MESSAGE.format(what="Warden cannot tell which file it writes")
        names = {os.path.basename(target), os.path.basename(real)}
        if names & DISCOVERED or any(_PYLOCK.match(n) for n in names):
            return MESSAGE.format(what="the file is one the installer finds by its name")
        if names & _word_names(inv.args, inv.env, folder) or real in _read_files(
            inv.tool, inv.program, env, folder
        ):
            return MESSAGE.format(what="the file is one the install reads")
    return ""


def _candidates(args: List[str], env: Dict[str, str]) -> Iterable[str]:
    """Every word and value that may name a file: a word, its value after ``=``, the values
    a short option cluster may hold (``-rr.txt``, ``-qrr.txt``), a variable's value (split as
    a list of files, ``UV_ENV_FILE="a b"``)."""
    for word in args:
        yield word
        if "=" in word:
            yield word.split("=", 1)[1]
        if word[:1] == "-" and word[1:2] != "-":
            for k in range(2, len(word)):
                yield word[k:]
    for value in env.values():
        yield from _LIST_SEPARATORS.split(str(value))


def _word_names(args: List[str], env: Dict[str, str], folder: str) -> Set[str]:
    names = set()
    for word in _candidates(args, env):
        if word and word not in (".", ".."):
            names.add(os.path.basename(word.rstrip("/")))
            names.add(os.path.basename(os.path.realpath(os.path.join(folder, word))))
    return names - {""}


def _read_files(tool: str, program: str, env: Dict[str, str], folder: str) -> Set[str]:
    """The real paths of the config files the tool's reading lists (``uv_config``,
    ``condarc``), with the kernel's variables and the line's (``--no-config`` ignored:
    stricter)."""
    merged = {k: str(v) for k, v in env.items()}
    merged.pop("UV_NO_CONFIG", None)
    if tool == "uv":
        from . import uv_config
        from .request import InstallRequest

        paths = [p for p, _ in uv_config.config_files(InstallRequest("uv", ""), merged, folder)]
    elif tool in ("conda", "mamba", "micromamba"):
        from . import condarc

        paths = condarc.files(merged, program, None, folder)
    else:
        return set()
    return {os.path.realpath(os.path.join(folder, p)) for p in paths}
