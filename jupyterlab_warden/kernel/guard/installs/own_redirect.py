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
* a file the tool discovers by its name in the folder it runs in or a parent, or in a folder its
  interpreter discovery searches (schema/installer-discovered-names.json, shared with the static
  side: uv.toml, pyvenv.cfg (R55b-10: a folder holding one is the environment whose bin/python
  uv runs)...), wherever the target is (stricter: nobody logs into a uv.toml);
* a file the install's reading itself read (``files_read``, compared after the reading:
  ``read_problem``), by real path and by identity (st_dev, st_ino): a file a requirements file
  includes (R55b-1), a hard link of one (R55b-2);
* a target named through a process's descriptors or files (``/dev/stdin``, ``/dev/fd/N``,
  ``/proc/self/fd/N``, ``/proc/<pid>/...``, a link to one; R55b-9): the shell resolves it in
  its own process (``5<r.txt 2>/dev/fd/5`` is r.txt), Warden's process names other files;
* a target Warden cannot place: a variable, a substitution, a glob or brace, an existing folder,
  a name ending in ``/``, a line whose folder is not known. Fail closed.

Any other file (``install.log``, ``out/log.txt``, ``/dev/null``, another device) is allowed.
A link is compared by what it leads to (a log.txt that links to uv.toml is uv.toml).
"""

import os
import re
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ...contracts import load_contract
from .fastpath import through_process

# a path that names a process's own descriptors or files, as written (bash opens /dev/fd/N and
# /dev/std* itself, whether the files exist or not); a link to one is found by ``through_process``
_PROCESS_NAMED = re.compile(r"^/(proc|dev/fd|dev/std(in|out|err))(/|$)")
# what the shell expands in a target (a variable, a substitution, a glob, a brace list, ~user)
_UNPLACED = re.compile(r"[$`*?\[{]")
# a variable's value may be a list of files (UV_ENV_FILE: spaces; a search path: os.pathsep)
_LIST_SEPARATORS = re.compile(r"[\s" + re.escape(os.pathsep) + "]+")

MESSAGE = (
    "the install's own output redirection writes a file before the install starts (the shell "
    "opens it first), and {what}: run the install as its own command, or redirect its output "
    "into another file (an install.log)"
)
DESCRIPTOR_MESSAGE = (
    "the install's own output redirection writes through {root}, which the shell resolves in "
    "its own process (a descriptor the line opened on a file the install reads, `5<r.txt "
    "2>/dev/fd/5`), not in Warden's: send the output to the other stream with 2>&1, or "
    "redirect it into a file by its own path (an install.log)"
)

HANDED_MESSAGE = (
    "the process start hands the install a file open for writing (a posix_spawn file action "
    "that opens it, or a descriptor passed as stdout, stderr or pass_fds), through which it is "
    "written after Warden read the install, and {what}: give the install's output another "
    "file (an install.log), a pipe or subprocess.DEVNULL"
)

_DISCOVERED = None  # (names, patterns), read on the first redirection weighed


def discovered(name: str) -> bool:
    """Whether the installers find a file of this name by themselves
    (schema/installer-discovered-names.json, the static side's list too)."""
    global _DISCOVERED
    if _DISCOVERED is None:
        table = load_contract("installer-discovered-names.json")
        _DISCOVERED = (frozenset(table["names"]), [re.compile(p) for p in table["patterns"]])
    names, patterns = _DISCOVERED
    return name in names or any(p.match(name) for p in patterns)


def problem(inv, written: List[str], env: Dict[str, str], folder: Optional[str]) -> str:
    """Why the redirections ``written`` (the targets of the install ``inv``'s own output
    redirections to files: a ``commands.Invocation``) may change what Warden decided ('' when
    none can). ``env``: the environment the install starts with (the kernel's and the line's;
    only the line's values are taken as names, ``inv.env``); ``folder``: where it runs, from
    this process's folder (None: not known)."""
    for target in written:
        if _UNPLACED.search(target) or target.endswith("/") or folder is None:
            return MESSAGE.format(what="Warden cannot tell which file it writes")
        full = os.path.join(folder, os.path.expanduser(target))
        root = _process_root(full)
        if root:
            return DESCRIPTOR_MESSAGE.format(root=root)
        found = _file_problem(inv, full, env, folder, MESSAGE)
        if found:
            return found
    return ""


def literal_problem(inv, handed, env: Dict[str, str], folder: Optional[str]) -> str:
    """``problem`` for the files a process start hands the install open for writing
    (``handed_redirect.Handed``: a posix_spawn file action's path, a descriptor's file; red
    team 56b R56b-6), by the same rules; their names are literal (no shell expands them). A
    file action's path through ``/proc`` or ``/dev/fd`` is opened in the child, on its own
    descriptors; a descriptor's name is the file it is open on."""
    for target in handed:
        if not target.descriptor:
            root = _process_root(target.name)
            if root:
                return HANDED_MESSAGE.format(what=f"names it through {root}, in the child")
        if folder is None:
            return HANDED_MESSAGE.format(what="the install's folder is not known")
        found = _file_problem(inv, target.name, env, folder, HANDED_MESSAGE)
        if found:
            return found
    return ""


def _file_problem(inv, full: str, env: Dict[str, str], folder: str, message: str) -> str:
    """Why writing the file at ``full`` (placed) may change what the install reads ('')."""
    real = os.path.realpath(full)
    if os.path.isdir(real):
        return message.format(what="Warden cannot tell which file it writes")
    names = {os.path.basename(full), os.path.basename(real)}
    if any(map(discovered, names)):
        return message.format(what="the file is one the installer finds by its name")
    if names & _word_names(inv.args, inv.env, folder) or real in _read_files(
        inv.tool, inv.program, env, folder
    ):
        return message.format(what="the file is one the install reads")
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


def placed(written: List[str], folder: Optional[str]) -> Tuple[Tuple[str, tuple], ...]:
    """The redirections' targets as ``read_problem`` compares them: (real path, (st_dev,
    st_ino) of the file when it exists, else ()). Called only when ``problem`` found none (so
    each is placed, in a known folder)."""
    out = []
    for target in written:
        real = os.path.realpath(os.path.join(folder or ".", os.path.expanduser(target)))
        try:
            info = os.stat(real)
            out.append((real, (info.st_dev, info.st_ino)))
        except OSError:
            out.append((real, ()))
    return tuple(out)


def read_problem(targets: Tuple[Tuple[str, tuple], ...], read) -> str:
    """Why a redirection ``placed`` writes one of the files the install's reading read
    (``files_read.FileRead``s), by real path or by identity (a hard link: R55b-2); ''. A
    target may be a handed file's (``handed_redirect.weigh``): the same comparison."""
    reals = {f.real for f in read}
    identities = {f.identity for f in read}
    for real, identity in targets:
        if real in reals or (identity and identity in identities):
            return MESSAGE.format(what="the file is one the install reads")
    return ""


def _process_root(path: str) -> str:
    """The ``/proc`` or ``/dev/fd`` (``/dev/std*``) path a target is named through, as written
    (``.``, ``..`` and doubled slashes taken out as text: Linux reads a leading ``//`` as
    ``/``) or link by link (``through_process``); '' when none."""
    text = os.path.normpath(os.path.join(os.getcwd(), path))
    text = text[1:] if text.startswith("//") else text
    found = _PROCESS_NAMED.match(text)
    if found:
        return "/" + found.group(1)
    try:
        return through_process(path)
    except (OSError, ValueError):
        return "a link that changed while Warden followed it"
