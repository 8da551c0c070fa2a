"""Which installer commands write nothing a later install on the same shell line reads.

Every other installer command is a writer for the installs after it on the line (red team
54a): an install unpacks the files its packages carry wherever its target, prefix or
environment is (``--target .`` puts a wheel's top-level ``r.txt`` in the folder the line runs
in: R54a-4), and building a local project, an sdist or a VCS checkout runs that project's
build code, which writes anything (R54a-1); ``conda config`` writes a .condarc (R54a-2). The
commands listed here only read (a listing, a query, a version): an allow-list, so a command
Warden does not know is a writer. The static twin is src/deps/installers.ts
``installerWritesNothing``."""

from typing import List

from .arguments import (
    CONDA_COMMANDS,
    CONDA_GLOBAL_VALUED,
    PIP_LONG,
    UV_COMMANDS,
    UV_VALUED,
    subcommand_start,
)

# pip's commands, to find which one a pip runs past its global options
PIP_COMMANDS = frozenset(
    "install download wheel lock uninstall freeze list show check config search cache index "
    "inspect hash completion debug help".split()
)
# (no command at all: `pip --version`, `uv --help`, `conda --version`)
_PIP_READERS = frozenset(("", "list", "show", "freeze", "check", "search", "index", "inspect",
                          "hash", "completion", "debug", "help"))  # fmt: skip
_UV_READERS = frozenset(("", "help"))
_UV_PIP_READERS = frozenset(("list", "show", "freeze", "check", "tree"))
_CONDA_READERS = frozenset(("", "list", "info", "search", "help"))
_CONDAS = frozenset(("conda", "mamba", "micromamba"))


def writes_nothing(tool: str, args: List[str]) -> bool:
    """Whether ``tool ARGS`` (an installer's invocation) writes no file: pip, uv and conda's
    reading commands; any install, build, config, cache, run or unknown command may write."""
    if tool == "pip":
        valued = {name for name, takes in PIP_LONG.items() if takes}
        return _command(args, subcommand_start(args, valued, PIP_COMMANDS)) in _PIP_READERS
    if tool == "uv":
        start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
        if _command(args, start) == "pip":
            return _command(args, start + 1) in _UV_PIP_READERS
        if _command(args, start) == "venv":
            # the venv uv makes from an interpreter, no package in it: a later uv's discovery
            # of it is read as uv's (red team 29); --seed installs pip into it from an index
            return "--seed" not in args
        return _command(args, start) in _UV_READERS
    if tool in _CONDAS:
        start = subcommand_start(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS)
        return _command(args, start) in _CONDA_READERS
    return False  # pipx, poetry, pdm, front ends: each installs or runs


def none(invocations) -> bool:
    """Whether none of a command's installer invocations writes a file."""
    return all(writes_nothing(i.tool, i.args) for i in invocations)


def _command(args: List[str], start: int) -> str:
    """The command word at ``start`` ('' past the end; an option there is no command)."""
    word = args[start] if start < len(args) else ""
    return "" if word == "" else (word if not word.startswith("-") else "-")
