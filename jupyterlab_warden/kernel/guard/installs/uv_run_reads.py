"""The files a ``uv run`` installs from, whatever they ask for now (red team 57c R57c-3,
R57c-4).

Warden reads an install's files before the shell line runs. ``uv pip install -r r.txt`` names
its file, so it is always an install request, and after an earlier writer on the line (``cp``,
``mv``, ``tee``, a redirection, ``tar x``, ``curl -o``, any program Warden has no table for) it
is refused whatever r.txt holds now (``commands._LineState.problem``, red team 7 R7-16). ``uv
run`` was read by what its files asked for: a script with no PEP 723 block, no project, or a
project with no dependencies made no request, so the line's writer was never weighed, and
``cp real.txt s.py; uv run s.py`` installed what the copy asked for. These are the files uv
reads when it runs, as uv 0.13.9 takes them (``RunCommand::from_args``, checked against the
binary: a target without a ``py``/``pyw`` extension is executed, not read as a script):

- the script: the target under ``--script``/``-s``/``--gui-script``, or a target whose
  extension is ``py`` or ``pyw`` in any case, there now or not (uv tests it when it runs), and
  its lock ``<script>.lock``;
- the project uv syncs, unless ``--no-project``/``--no-sync`` (a script with no block runs in
  it too): the ``pyproject.toml`` from the working folder up, the workspace's above it, and the
  ``uv.lock`` beside them; a writer may make any of them, so the working folder's are named
  even when none is there;
- the files ``--with-requirements`` names.

The caller (``gate._request``) makes an install request of a run that reads any of them after
an earlier writer, and the line's problem refuses it, as for ``uv pip install -r``. ``pipx run
s.py`` needs no such reading: pipx keeps the guard, which decides the ``uv run`` (pipx 1.18.4
execs one for a script) or the pip it starts after the writer ran (checked).
"""

import os
from typing import Dict, List, Optional

# the `uv run` options after which uv reads no project (``arguments._uv_run`` reads them so)
_NO_PROJECT = frozenset(("--no-project", "--no-sync"))
_REQUIREMENTS_OPTIONS = frozenset(("--with-requirements",))
_SCRIPT_EXTENSIONS = ("py", "pyw")


def uv_files(args: List[str], cwd: str, env: Optional[Dict[str, str]] = None) -> List[str]:
    """The files ``uv [global options] run ...`` installs from (``args``: uv's words), named
    as the line gives them (the project's relative to ``cwd``); [] for another command. With
    ``env`` (the run's environment), also the dotenv files it loads into the command it
    runs (``--env-file``, ``UV_ENV_FILE``: ``arguments.uv_run_env_files``), which Warden reads
    before the line runs and whose variables (BASH_ENV, PYTHONPATH, PERL5OPT...) decide what
    the command runs (red team 82 R82-4: ``cp evil.env e.env && uv run --env-file e.env bash``)."""
    from . import arguments

    start = arguments.subcommand_start(args, arguments.UV_VALUED, arguments.UV_COMMANDS)
    if args[start : start + 1] != ["run"]:
        return []
    line = arguments.UvRunLine(args[start + 1 :])
    names = {name for name, _value in line.options}
    found = [value for name, value in line.options if name in _REQUIREMENTS_OPTIONS and value]
    loaded = arguments.uv_run_env_files(args, env) if env is not None else None
    if loaded:
        found += loaded[0]
    if line.target is not None and (line.mode == "script" or _script_name(line.target)):
        found += [line.target, line.target + ".lock"]
    if not names & _NO_PROJECT:
        found += _project_files(cwd)
    return list(dict.fromkeys(found))


def _script_name(target: str) -> bool:
    """Whether uv runs ``target`` as a PEP 723 script by its name: its extension (Rust's
    ``Path::extension``: after the last dot of the last part, not a dot file's own) is
    ``py`` or ``pyw`` in any case."""
    name = os.path.basename(target)
    stem, dot, extension = name.rpartition(".")
    return bool(dot and stem) and extension.lower() in _SCRIPT_EXTENSIONS


def _project_files(cwd: str) -> List[str]:
    """The working folder's pyproject.toml and uv.lock (a writer may make them), and those of
    every folder above it holding a pyproject.toml now (the project uv finds, a workspace root
    above it)."""
    found = ["pyproject.toml", "uv.lock"]
    folder = os.path.abspath(cwd)
    while True:
        parent = os.path.dirname(folder)
        if parent == folder:
            return found
        folder = parent
        if os.path.lexists(os.path.join(folder, "pyproject.toml")):
            found += [os.path.join(folder, "pyproject.toml"), os.path.join(folder, "uv.lock")]


def written_request(
    args: List[str], cwd: str, places: Optional[tuple] = None, env: Optional[Dict[str, str]] = None
):
    """An install request (no requirement, one problem) for a ``uv run`` Warden read as
    installing nothing, when it reads any of the files above: the caller inserts the line's
    problem (an earlier writer) before it. None when it reads none, or when ``places`` (the
    line's writers' places, ``Invocation.writer_places``) has no writer that may write one
    of them (red team 81 R81-5: ``cp data.csv out/ && uv run train.py``)."""
    from . import uv_line_writes
    from .request import InstallRequest

    files = uv_files(args, cwd, env)
    if places is not None and not uv_line_writes.writer_of(files, cwd, places):
        return None
    if not files:
        return None
    shown = ", ".join(f[:80] for f in files[:4]) + (", ..." if len(files) > 4 else "")
    request = InstallRequest("uv", "uv run")
    request.problems.append(
        f"uv run installs what {shown} ask for when it runs, and an earlier command on the "
        "line may write them, whatever they ask for when Warden reads the line"
    )
    return request


def unsure_problem(
    args: List[str], cwd: str, makers: tuple, env: Optional[Dict[str, str]] = None
) -> str:
    """Why a file ``uv run`` installs from may be another when it runs ('' none): a link
    leading nowhere now (``dangling``: ``s.py -> m/../real.py``, read as "no script"), which a
    command before it on the line (``makers``: ``mkdir m``) may make resolve (red team 57c
    R57c-1). The program it runs by path is the line reading's (``commands._named_file``)."""
    from . import dangling

    for name in uv_files(args, cwd, env):
        path = os.path.join(cwd, name)
        if os.path.exists(path) and not os.path.islink(path):
            continue  # a file, no link on its way to re-point: the earlier-writer rule's
        reason = dangling.unsure(path)
        writer = dangling.maker(reason, makers) if reason is not None else ""
        if writer:
            return dangling.refusal(reason, writer, f"a file uv run installs from ({name})")
    return ""
