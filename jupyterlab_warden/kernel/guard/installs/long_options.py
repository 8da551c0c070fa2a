"""Long options as the program itself reads them: abbreviated, bundled, given by a shorthand
(red team 90 F9).

Warden reads an option of npm or conda by its name (npm's ``--prefix`` moves the project whose
``node_modules/.bin`` folders its command finds programs in first; conda run's ``--prefix``
names the environment whose ``bin`` goes first on PATH, ``--cwd`` the folder the command runs
in; conda install's ``--channel``, ``--file``, ``--prefix``...). Both programs also take other
spellings of the same option, so a word Warden read as some other flag (or as the command)
was that option to the program:

- npm parses its words with nopt (npm 11: ``@npmcli/config`` hands every config key's type and
  npm's shorthands to nopt): any unique abbreviation of a key (``--prefi web``: npm warns,
  then expands it; ``--pref`` is ambiguous and is an unknown key of its own), a single-dash
  key (``-prefix``), more dashes (``---prefix``), a shorthand (``-C``, ``--C``, ``--reg``,
  ``-ws``) or a unique abbreviation of a shorthand (``-i`` is ``--iwr``), single-letter
  shorthands bundled (``-dC web`` is ``--loglevel info --prefix web``), ``=`` or the next word
  as the value (which depends on the key's type), and ``no-`` prefixes. ``npm_args`` rewrites
  npm's words as nopt reads them, from npm's own table (schema/npm-cli.json, written by
  scripts/npm-cli-table.js from the installed npm's definitions), every option written out as
  ``--NAME=VALUE``: the readers then see the full name.
- conda parses with argparse (``allow_abbrev``): a unique prefix of a long option is that
  option (``conda run --pre ENV``, ``--cw DIR``, ``conda install --chan URL``, ``--fil f``);
  an ambiguous one is an error. ``argparse_long`` expands a word by the table Warden has;
  Warden's table is not conda's whole table (one table for several commands and for mamba
  and micromamba), so a prefix that is ambiguous in Warden's table may be unique in the
  command's own: when one of its candidates is an option Warden reads, it is refused (conda
  may take it for that one), never guessed.

pip (optparse, ``arguments.resolve_pip_long``: an unknown or ambiguous long option is a
refusal) and pipx (argparse, ``pipx_cli``) were read so already; uv and the other clap, click
and cleo programs take no abbreviations.
"""

import re
from typing import Dict, Iterable, List, Optional

_DASHES = re.compile(r"^-{2,}$")


def _npm_table() -> dict:
    from ...contracts import load_contract

    return load_contract("npm-cli.json")


def abbreviations(names: Iterable[str]) -> Dict[str, str]:
    """Every unique abbreviation of ``names`` (and each name itself) to the name, as the
    ``abbrev`` package nopt uses computes them: a name that is a prefix of another has no
    shorter abbreviation (``workspace``, ``workspaces``)."""
    found: Dict[str, str] = {}
    ordered = sorted(set(names))
    prev = ""
    for k, current in enumerate(ordered):
        following = ordered[k + 1] if k + 1 < len(ordered) else ""
        next_matches = prev_matches = True
        j = 0
        while j < len(current):
            next_matches = next_matches and current[j] == following[j : j + 1]
            prev_matches = prev_matches and current[j] == prev[j : j + 1]
            j += 1
            if not next_matches and not prev_matches:
                break
        prev = current
        for end in range(j, len(current) + 1):
            found[current[:end]] = current
    return found


class _Nopt:
    """npm's option table as nopt reads it: each key's types, the shorthands, the
    abbreviations of both, the single-letter shorthands."""

    def __init__(self, table: dict):
        self.types: Dict[str, List[str]] = table["options"]
        self.shorthands: Dict[str, List[str]] = table["shorthands"]
        self.abbrevs = abbreviations(self.types)
        self.short_abbrevs = abbreviations(self.shorthands)
        self.singles = frozenset(k for k in self.shorthands if len(k) == 1)

    def short(self, arg: str) -> Optional[List[str]]:
        """nopt's resolveShort: the words a shorthand (or a bundle of single letters, or an
        abbreviation of a shorthand) stands for; None when ``arg`` is a key's spelling."""
        name = arg.lstrip("-")
        if self.abbrevs.get(name) == name:
            return None
        if name in self.shorthands:
            return list(self.shorthands[name])
        if all(c in self.singles for c in name):
            return [w for c in name for w in self.shorthands[c]]
        if name in self.abbrevs:
            return None
        name = self.short_abbrevs.get(name, name)
        found = self.shorthands.get(name)
        return list(found) if found is not None else None


_NOPT: List[_Nopt] = []


def npm_args(args: List[str]) -> List[str]:
    """npm's (or npx's) words as npm's nopt reads them: each option written out as
    ``--NAME=VALUE`` (a switch as ``--NAME=true``/``--NAME=false``, an unknown key too),
    positional words as they are, ``--`` and the words after it unchanged."""
    if not _NOPT:
        _NOPT.append(_Nopt(_npm_table()))
    nopt = _NOPT[0]
    args = list(args)
    out: List[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if _DASHES.match(arg):
            return out + ["--"] + args[i + 1 :]
        if not arg.startswith("-") or len(arg) < 2:
            out.append(arg)
            i += 1
            continue
        had_eq = "=" in arg
        if had_eq:
            arg, value = arg.split("=", 1)
            args[i : i + 1] = [arg, value]
        expanded = nopt.short(arg)
        if expanded is not None:
            args[i : i + 1] = expanded
            if not expanded or arg != expanded[0]:
                continue  # read again from the first word it stands for
        name, no = arg.lstrip("-"), None
        while name.lower().startswith("no-"):
            no, name = not no, name[3:]
        name = nopt.abbrevs.get(name, name)
        value, taken = _npm_value(nopt.types.get(name), no, had_eq, args[i + 1 : i + 2])
        out.append(f"--{name}={value}")
        i += 1 + taken
    return out


def _npm_value(types: Optional[List[str]], no, had_eq: bool, rest: List[str]):
    """The value nopt gives a key of ``types`` (None: a key npm does not know) and how many
    of the following words (``rest``: the next one, if any) it takes."""
    la = rest[0] if rest else None
    listed = types is not None and len(types) > 1
    if (
        no is not None
        or (types is not None and "Boolean" in types)
        or (types is None and not had_eq)
        or (la == "false" and listed and "null" in types)
    ):
        value, taken = "false" if no else "true", 0
        if la in ("true", "false"):
            value = la if not no else ("false" if la == "true" else "true")
            return value, 1
        if listed and la:
            if "=" + la in types or (la == "null" and "null" in types):
                return la, 1
            if not re.match(r"^-[^-]", la) and "String" in types:
                return la, 1
        return value, taken
    if types == ["String"]:
        if la is None:
            return "", 0
        if re.match(r"^-{1,2}[^-]+", la):
            return "", 0
    if la is not None and _DASHES.match(la):
        return "true", 0
    return ("true", 0) if la is None else (la, 1)


def argparse_long(word: str, known: Iterable[str], read: Iterable[str] = ()) -> str:
    """``word`` as argparse (``allow_abbrev``) reads a long option, written out: an exact
    option or a word that is no long option unchanged, a unique prefix of one of ``known``
    as that option (``--chan=URL`` is ``--channel=URL``), a prefix of none as it is (an
    option Warden's table does not hold). Raises ValueError (the reason) for a prefix of
    several of ``known`` of which one is in ``read``: the program's own table may hold only
    that one."""
    if not word.startswith("--") or word == "--":
        return word
    name, eq, value = word.partition("=")
    known = frozenset(known)
    if name in known:
        return word
    matches = sorted(option for option in known if option.startswith(name))
    if len(matches) == 1:
        return matches[0] + eq + value
    read_ones = [m for m in matches if m in frozenset(read)]
    if len(matches) > 1 and read_ones:
        raise ValueError(
            f"{name} is an abbreviation the program may read as {read_ones[0]} (argparse "
            f"takes a unique prefix of a long option; here it may be any of "
            f"{', '.join(matches[:4])}): write the option out in full"
        )
    return word


# `conda run`'s long options (conda 24-25: main_run.configure_parser, add_parser_prefix,
# add_parser_verbose, -h), with micromamba's (which takes no abbreviation: listed so that a
# prefix of two is not read as the one conda has)
CONDA_RUN_LONG = frozenset(
    """--name --prefix --verbose --debug --trace --quiet --json --console --dev
    --debug-wrapper-scripts --cwd --no-capture-output --live-stream --help --attach --label
    --root-prefix --rc-file --clean-env --detach --no-rc --no-env --log-level""".split()
)
# the options Warden reads: the environment, the folder, the config files and sources
CONDA_RUN_READ = frozenset(("--name", "--prefix", "--cwd", "--root-prefix", "--rc-file"))
CONDA_READ = frozenset(
    """--name --prefix --channel --file --use-local --override-channels --clone --revision
    --insecure --repodata-fn --channel-alias --rc-file --root-prefix""".split()
)


def conda_args(args: List[str]) -> List[str]:
    """conda's (mamba's, micromamba's) words after the program with the long options of
    ``run`` (before its command) and of the installing commands (``install``, ``create``,
    ``update``, ``env create|update``) written out as argparse reads them
    (``argparse_long``). Raises ValueError for an abbreviation Warden cannot place."""
    from .arguments import (
        CONDA_COMMANDS,
        CONDA_GLOBAL_VALUED,
        CONDA_INSTALLING,
        CONDA_LONG,
        subcommand_start,
    )

    start = subcommand_start(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS)
    command = args[start : start + 1]
    if command == ["run"]:
        words, i = list(args), start + 1
        while i < len(words) and words[i].startswith("-") and words[i] != "--":
            words[i] = argparse_long(words[i], CONDA_RUN_LONG, CONDA_RUN_READ)
            name, eq, _ = words[i].partition("=")
            i += 2 if name in _CONDA_RUN_VALUED and not eq else 1
        return words
    if command == ["env"] and args[start + 1 : start + 2] in (["create"], ["update"]):
        start += 1
    elif not command or command[0] not in CONDA_INSTALLING:
        return list(args)
    rest = args[start + 1 :]
    end = rest.index("--") if "--" in rest else len(rest)
    spelled = [argparse_long(word, CONDA_LONG, CONDA_READ) for word in rest[:end]]
    return list(args[: start + 1]) + spelled + rest[end:]


_CONDA_RUN_VALUED = frozenset(
    ("--name", "--prefix", "--cwd", "--attach", "--label", "--root-prefix", "--rc-file",
     "--log-level")
)  # fmt: skip
