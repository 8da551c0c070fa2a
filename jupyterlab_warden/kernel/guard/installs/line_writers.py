"""Where a writer on a shell line may put a file (red team 21 R21-1, R21-3, R21-4).

``commands._refuse_path_written`` refuses a later start when an earlier command on the line may
have put or chmodded a program in a folder of its PATH (Warden lists PATH's folders before the
line runs). This module says where each writer may write, as (kind, path word) pairs:

- ``FILE``: a file at the path (and so an entry in the folder holding it);
- ``TREE``: anything under the path (a folder copied, moved, linked or unpacked there).

It is an ALLOW list (closed form): only the writers below are known to write only what they
name, and their options are read with getopt's rules (any unambiguous prefix of a long option,
bundled short letters, an option's value attached or in the next word). A writer not in the
list, or with an option its table does not know, is None here: the caller takes it to write
anywhere under the folder it runs in and under every path its words name.
"""

import ast
import os
import re
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from . import sed_script

FILE, TREE = "file", "tree"
Reach = List[Tuple[str, str]]

FLAG, VALUE, OPTIONAL = 0, 1, 2  # an option's argument: none, required, optional (`--x[=v]`)


class Options(NamedTuple):
    """A getopt table: short letters and long names, each to (key, argument kind)."""

    short: Dict[str, Tuple[str, int]]
    long: Dict[str, Tuple[str, int]]


def _table(short: str, long: Dict[str, str]) -> Options:
    """``short``: letters, ``x:`` takes a value, ``x::`` an optional one (the rest of its
    word); ``long``: name (``name=`` takes a value, ``name==`` an optional one) to the key it
    means (a short letter or its own name)."""
    letters: Dict[str, Tuple[str, int]] = {}
    for letter, colons in re.findall(r"(.)(:{0,2})", short):
        letters[letter] = (letter, (FLAG, VALUE, OPTIONAL)[len(colons)])
    names: Dict[str, Tuple[str, int]] = {}
    for name, key in long.items():
        kind = OPTIONAL if name.endswith("==") else VALUE if name.endswith("=") else FLAG
        names[name.rstrip("=")] = (key or name.rstrip("="), kind)
    return Options(letters, names)


class Unknown(Exception):
    """An option the table does not know, or an abbreviation of more than one."""


def read_options(args: List[str], table: Options, mode_word=None) -> Tuple[list, List[str]]:
    """(the options as (key, value), the operands) the way GNU getopt_long reads ``args``:
    options anywhere before ``--``, a long option by any prefix that names one option.
    ``mode_word``: a test for a word that is an operand though it starts with ``-``."""
    options, operands = [], []
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            operands += args[i:]
            break
        if not word.startswith("-") or word == "-" or (mode_word and mode_word(word)):
            operands.append(word)
        elif word.startswith("--"):
            name, equals, value = word[2:].partition("=")
            key, kind = _long(name, table)
            if kind == FLAG and equals:
                raise Unknown(word)
            if kind == VALUE and not equals:
                if i == len(args):
                    raise Unknown(word)
                value, i = args[i], i + 1
            options.append((key, value if (equals or kind == VALUE) else None))
        else:
            j = 1
            while j < len(word):
                letter = word[j]
                if letter not in table.short:
                    raise Unknown(word)
                key, kind = table.short[letter]
                if kind == FLAG:
                    options.append((key, None))
                    j += 1
                    continue
                value = word[j + 1 :]
                if not value and kind == VALUE:
                    if i == len(args):
                        raise Unknown(word)
                    value, i = args[i], i + 1
                options.append((key, value))
                break
    return options, operands


def _long(name: str, table: Options) -> Tuple[str, int]:
    if name in table.long:
        return table.long[name]
    found = {table.long[n] for n in table.long if n.startswith(name)}
    if len(found) != 1:
        raise Unknown(name)  # none, or several (getopt refuses, the program writes nothing)
    return found.pop()


def _keys(options: list) -> set:
    return {key for key, _ in options}


def _values(options: list, key: str) -> List[str]:
    return [value for k, value in options if k == key and value is not None]


# -- copies, moves, links: DEST/<name of each source>, a tree where the source may be a folder

_CP = _table(
    "abdfHilLnpPrRsS:t:TuvxZ",
    {"archive": "a", "attributes-only": "", "backup==": "", "copy-contents": "", "debug": "",
     "dereference": "L", "force": "f", "interactive": "i", "link": "l", "no-clobber": "n",
     "no-dereference": "P", "no-preserve=": "", "no-target-directory": "T",
     "one-file-system": "x", "parents": "", "preserve==": "", "recursive": "r",
     "reflink==": "", "remove-destination": "", "sparse=": "", "strip-trailing-slashes": "",
     "suffix=": "S", "symbolic-link": "s", "target-directory=": "t", "update==": "u",
     "verbose": "v", "keep-directory-symlink": "", "context==": "Z", "help": "",
     "version": ""},
)  # fmt: skip
_MV = _table(
    "bfinS:t:TuvZ",
    {"backup==": "", "debug": "", "exchange": "", "force": "f", "interactive": "i",
     "no-clobber": "n", "no-copy": "", "no-target-directory": "T",
     "strip-trailing-slashes": "", "suffix=": "S", "target-directory=": "t", "update==": "u",
     "verbose": "v", "context": "Z", "help": "", "version": ""},
)  # fmt: skip
_LN = _table(
    "bdfFinLPrsS:t:Tv",
    {"backup==": "", "directory": "d", "force": "f", "interactive": "i", "logical": "L",
     "no-dereference": "n", "physical": "P", "relative": "r", "symbolic": "s", "suffix=": "S",
     "target-directory=": "t", "no-target-directory": "T", "verbose": "v", "help": "",
     "version": ""},
)  # fmt: skip
_INSTALL = _table(
    "bcCdDg:m:o:psS:t:TvZ",
    {"backup==": "", "compare": "C", "debug": "", "directory": "d", "group=": "g",
     "mode=": "m", "owner=": "o", "preserve-timestamps": "p", "strip": "s",
     "strip-program=": "", "suffix=": "S", "target-directory=": "t",
     "no-target-directory": "T", "verbose": "v", "preserve-context": "", "context==": "Z",
     "help": "", "version": ""},
)  # fmt: skip


def _copies(table: Options, trees: bool, args: List[str], env: Dict[str, str]) -> Reach:
    """cp/mv/ln/install: each source lands at DEST/<its name> when DEST is surely a folder
    (``-t``, two or more sources, a DEST ending in ``.``/``..``), else at DEST itself (a new
    name, or an existing folder: the whole of DEST). ``trees``: a source may be a folder (mv,
    ln, cp -r/-a), so what lands is a tree. With -b/--backup/-S, each place's backup too
    (``_backups``)."""
    options, operands = read_options(args, table)
    places = _copied_places(table, trees, options, operands)
    return places + _backups(options, places, env)


def _copied_places(table: Options, trees: bool, options: list, operands: List[str]) -> Reach:
    """Where the copies, moves or links themselves land (``_copies``)."""
    keys = _keys(options)
    kind = TREE if trees else FILE
    if "d" in keys and table is _INSTALL:
        return [(FILE, word) for word in operands]  # install -d: empty folders
    targets = _values(options, "t")
    if targets:
        dest, sources, surely_folder = targets[-1], operands, True
    elif table is _LN and len(operands) == 1:
        dest, sources, surely_folder = ".", operands, True  # `ln -s x`: ./x
    elif len(operands) < 2:
        return []  # a missing destination: nothing is written
    else:
        dest, sources = operands[-1], operands[:-1]
        last = os.path.basename(dest.rstrip("/") or "/")
        surely_folder = len(sources) > 1 or last in (".", "..")
        surely_folder = surely_folder and "T" not in keys
    if "parents" in keys:
        return [(TREE, dest)]  # cp --parents a/b/c d: d/a/b/c, folders made on the way
    if not surely_folder:
        # a new name, or into the folder DEST already is or an earlier command makes (red team
        # 23 R23-2: `cp x kd` writes kd/x, which may be another name of a PATH program), or a
        # pattern that may be one
        if trees or _pattern(dest):
            return [(TREE, dest)]
        return [(FILE, dest)] + [(FILE, os.path.join(dest, _name(s))) for s in sources]
    return [(kind, os.path.join(dest, _name(source))) for source in sources]


def _linked(args: List[str]) -> Reach:
    """What the links ``ln`` makes lead to: a later writer on the line writes through a link
    into its target (red team 22 R22-1, R22-3: ``ln -s pbin/gzip g && chmod +x g``, or a hard
    link ``ln pbin/gzip g``), so each source is a place, named from the folder ln runs in and,
    for a relative symbolic link, from the folder the link is made in."""
    options, operands = read_options(args, _LN)
    targets = _values(options, "t")
    if targets:
        sources, folders = operands, [targets[-1]]
    elif len(operands) < 2:
        sources, folders = operands, ["."]
    else:
        dest = operands[-1]
        sources, folders = operands[:-1], [dest, os.path.dirname(dest.rstrip("/")) or "."]
    places = [(TREE, source) for source in sources]
    if "s" in _keys(options):
        relative = [s for s in sources if not s.startswith("/")]
        places += [(TREE, os.path.join(f, s)) for f in folders for s in relative]
    return places


# the variables of the environment a writer of the list reads its names from that a shell
# line inherits from the kernel where it does not set them (its ``env`` holds the line's own)
INHERITED_SETTINGS = ("SIMPLE_BACKUP_SUFFIX",)
# the backup options of cp/mv/ln/install (-S implies -b), by their tables' keys
_BACKUP_KEYS = frozenset(("b", "backup", "S"))
# a word's text whose value the line does not give: an expansion, a command substitution's
# marker, or a pattern the shell expands to names (``{a,b}`` too: two words)
UNPLACED = re.compile(r"[$`*?\[{\x01]")


def _backups(options: list, places: Reach, env: Dict[str, str]) -> Reach:
    """The backups cp/mv/ln/install make of what they replace (red team 34 R34-7: ``cp -b -S
    .pth p.txt <site>/zz`` renames the old zz to zz.pth): each place plus the suffix (-S's,
    else SIMPLE_BACKUP_SUFFIX's, else ``~``; gnulib takes ``~`` for an empty one), and the
    numbered backup ``PLACE.~N~`` (``--backup=numbered``, VERSION_CONTROL, or ``existing``
    where one is there: both are counted, whatever the control says). A suffix whose text
    Warden does not have (an expansion, UnknownValue) leaves any name beginning with the
    place, in its folder; one with a ``/`` (gnulib ignores it, an older cp may not) a place
    Warden cannot tell."""
    if not _BACKUP_KEYS & _keys(options):
        return []
    given = _values(options, "S")
    suffix = (given[-1] if given else env.get("SIMPLE_BACKUP_SUFFIX", "")) or "~"
    if "/" in suffix:
        raise UnplacedWrites(f"a backup suffix with a folder in it ({suffix[:60]})")
    unknown = UNPLACED.search(suffix) is not None
    backups: Reach = []
    for kind, place in places:
        backups.append((TREE, place + "*") if unknown else (kind, place + suffix))
        backups.append((kind, place + ".~1~"))  # ``.~N~``: no start-up name whatever N is
    return backups


def _name(source: str) -> str:
    """The name a copy of ``source`` gets in the destination folder: ``kit/`` is kit, and
    ``kit/.`` is ``.`` (the folder's contents land in the destination itself)."""
    return os.path.basename(source.rstrip("/")) or "."


def _pattern(word: str) -> bool:
    return bool(re.search(r"[*?\[{]", word))


# -- mode and owner changers: their operands, whole trees with -R

_CHMOD = _table(
    "cfvR",
    {"changes": "c", "silent": "f", "quiet": "f", "verbose": "v", "no-preserve-root": "",
     "preserve-root": "", "reference=": "", "recursive": "R", "help": "", "version": ""},
)  # fmt: skip
_CHOWN = _table(
    "cfvhHLPR",
    {"changes": "c", "silent": "f", "quiet": "f", "verbose": "v", "dereference": "",
     "no-dereference": "h", "from=": "", "no-preserve-root": "", "preserve-root": "",
     "reference=": "", "recursive": "R", "help": "", "version": ""},
)  # fmt: skip
# chmod reads `-x`, `-w`, `-rwx`, `-0` as a MODE, not as options (GNU's "nonportable uses")
_CHMOD_MODE_WORD = re.compile(r"^-[rwxXstugoa,+=0-7]")
_CLAUSE = re.compile(r"^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]|[0-7]+))+$")


def _mode_changer(table: Options, args: List[str], is_chmod: bool) -> Reach:
    """chmod/chown/chgrp change their operands, each operand's whole tree with -R; a chmod
    whose MODE cannot add an execute bit makes no program file: nothing."""
    mode_word = _CHMOD_MODE_WORD.match if is_chmod else None
    options, operands = read_options(args, table, mode_word)
    keys = _keys(options)
    dashed = [w for w in operands if mode_word and mode_word(w)]
    files = [w for w in operands if w not in dashed]
    modes = dashed  # chmod -w FILE: the mode is the dashed word, every operand a file
    if "reference" not in keys and not dashed:
        modes, files = files[:1], files[1:]  # chmod MODE FILE..., chown OWNER FILE...
    if is_chmod and "reference" not in keys and not any(_adds_execute(m) for m in modes):
        return []  # u+w, go-w, 644: no file becomes a program file
    kind = TREE if "R" in keys else FILE
    return [(kind, word) for word in files]


def _adds_execute(mode: str) -> bool:
    """Whether a chmod MODE may give some file an execute bit: a number with one, or a clause
    that adds or sets ``x``/``X`` or copies another class's bits (``g=u``); unsure: it may."""
    if re.fullmatch(r"[0-7]+", mode):
        return int(mode, 8) & 0o111 != 0
    for clause in mode.split(","):
        if not _CLAUSE.match(clause):
            return True
        for op, perms in re.findall(r"([-+=])([^-+=]*)", clause):
            if op == "-":
                continue
            if re.fullmatch(r"[0-7]+", perms):
                if int(perms, 8) & 0o111:
                    return True
            elif re.search(r"[xXugo]", perms):
                return True
    return False


# -- files named by their operands or an option's value

_TOUCH = _table(
    "acd:fhmr:t:",
    {"no-create": "c", "date=": "d", "no-dereference": "h", "reference=": "r", "time=": "",
     "help": "", "version": ""},
)  # fmt: skip
_TEE = _table("aip", {"append": "a", "ignore-interrupts": "i", "output-error==": "p",
                      "help": "", "version": ""})  # fmt: skip
_UNIQ = _table(
    "cdDf:is:uzw:",
    {"count": "c", "repeated": "d", "all-repeated==": "D", "skip-fields=": "f",
     "ignore-case": "i", "skip-chars=": "s", "unique": "u", "zero-terminated": "z",
     "check-chars=": "w", "group==": "", "help": "", "version": ""},
)  # fmt: skip
_SORT = _table(
    "bcCdfghik:mMno:rRsS:t:T:uVz",
    {"ignore-leading-blanks": "b", "check==": "c", "dictionary-order": "d", "ignore-case": "f",
     "general-numeric-sort": "g", "human-numeric-sort": "h", "ignore-nonprinting": "i",
     "key=": "k", "merge": "m", "month-sort": "M", "numeric-sort": "n", "output=": "o",
     "reverse": "r", "random-sort": "R", "stable": "s", "buffer-size=": "S",
     "field-separator=": "t", "temporary-directory=": "T", "unique": "u", "version-sort": "V",
     "zero-terminated": "z", "parallel=": "", "sort=": "", "debug": "", "help": "",
     "version": ""},
)  # fmt: skip
_SED = _table(
    "ne:Ei::l:rsuz",
    {"quiet": "n", "silent": "n", "expression=": "e", "regexp-extended": "E",
     "in-place==": "i", "line-length=": "l", "null-data": "z", "zero-terminated": "z",
     "separate": "s", "sandbox": "", "unbuffered": "u", "posix": "", "debug": "",
     "follow-symlinks": "", "help": "", "version": ""},
)  # fmt: skip


def _sed(args: List[str]) -> Optional[Reach]:
    """sed edits in place (-i) the files it names, with -i's SUFFIX a backup of each
    (``in_place_backups``); a script that writes (``w``, ``s///w``) or runs (``e``) anything,
    or one read from a file (-f), is not known: None."""
    options, operands = read_options(args, _SED)
    keys = _keys(options)
    scripts = _values(options, "e")
    if not scripts:
        if not operands:
            return []
        scripts, operands = [operands[0]], operands[1:]
    if "sandbox" not in keys and any(sed_script.refused_command(s) for s in scripts):
        return None
    if "i" not in keys:
        return []
    return [(FILE, word) for word in operands] + in_place_backups(
        "sed", _values(options, "i"), operands
    )


def in_place_backups(name: str, suffixes: List[str], files: List[str]) -> Reach:
    """The backups an in-place editor (sed -i, --in-place; perl -i) makes of each file it
    edits, by the SUFFIX (red team 37b R37b-1: ``sed -i.pth -e '' <site>/zz`` renames zz to
    zz.pth, a name no word gives): GNU sed's and perl's rule, the suffix with each ``*``
    replaced by the file's name (``-i'bak/*'``: another folder), else the name plus the suffix
    (the basename's form of ``*`` too, as an older perl takes it); none for an empty suffix or
    sed's bare ``*``. A suffix whose text Warden does not have may hold a ``/`` and so name
    any place: ``AnyPlace``."""
    backups: Reach = []
    for suffix in suffixes:
        if not suffix or suffix == "*":
            continue
        if UNPLACED.search(suffix.replace("*", "")):
            raise AnyPlace(f"{name} -i with a backup suffix Warden cannot read ({suffix[:60]})")
        for file in files:
            if "*" not in suffix:
                backups.append((FILE, file + suffix))
                continue
            backups.append((FILE, suffix.replace("*", file)))
            folder, base = os.path.split(file)
            backups.append((FILE, os.path.join(folder, suffix.replace("*", base))))
    return list(dict.fromkeys(backups))


def in_place_writes(name: str, args: List[str]) -> Reach:
    """The backups of an interpreter off the list that edits files in place (``perl -i.pth
    -pe '' FILE``, ``interpreters.in_place_edits``): its edited files are its words' places
    already, their backups are names no word gives."""
    from .interpreters import in_place_edits

    edits = in_place_edits(name, args)
    return in_place_backups(name, *edits) if edits else []


def _files(table: Options, args: List[str], valued: Tuple[str, ...] = ()) -> Reach:
    """Each operand, and each value of the ``valued`` options, a file written."""
    options, operands = read_options(args, table)
    return [(FILE, w) for w in operands] + [(FILE, v) for k, v in options if k in valued]


_GZIP = _table(
    "cdfhklLnNqrS:tv123456789",
    {"stdout": "c", "to-stdout": "c", "decompress": "d", "uncompress": "d", "force": "f",
     "help": "h", "keep": "k", "list": "l", "license": "L", "no-name": "n", "name": "N",
     "quiet": "q", "recursive": "r", "rsyncable": "", "suffix=": "S", "synchronous": "",
     "test": "t", "verbose": "v", "fast": "1", "best": "9", "version": "V"},
)  # fmt: skip


# what gzip -d takes off a name to name its output (gzip.c's known suffixes, matched ignoring
# case: ``.Z`` too), each to what it puts in its place; -S's suffix is taken off as well
_GZIP_SUFFIXES = {".gz": "", ".z": "", "-gz": "", "-z": "", "_z": "", ".tgz": ".tar",
                  ".taz": ".tar"}  # fmt: skip


def _gzip(name: str, args: List[str], env: Dict[str, str]) -> Optional[Reach]:
    """gzip/gunzip write beside each operand its compressed file (the name plus -S's suffix,
    ``.gz``) or decompressed one (``_gunzipped``), each operand's tree with -r; -c (and zcat)
    only print. GZIP holds default options Warden does not read."""
    if env.get("GZIP"):
        return None
    options, operands = read_options(args, _GZIP)
    keys = _keys(options)
    if name == "zcat" or keys & {"c", "l", "t"}:
        return []
    suffix = (_values(options, "S") or [".gz"])[-1]
    decompress = name == "gunzip" or "d" in keys
    reach: Reach = []
    for word in (w for w in operands if w != "-"):
        reach.append((TREE if "r" in keys else FILE, word))
        if UNPLACED.search(suffix) or (decompress and "N" in keys):
            # a suffix Warden does not have, or -N's name from the file's header: any name
            # in the operand's folder
            reach.append((TREE, os.path.join(os.path.dirname(word), "*")))
        elif decompress:
            reach += [(FILE, out) for out in _gunzipped(word, suffix)]
        else:
            reach.append((FILE, word + suffix))
    return reach


def _gunzipped(word: str, suffix: str) -> List[str]:
    """The names gzip -d may give the output of ``word`` (red team 34 R34-7: ``zz.pth.gz`` is
    ``zz.pth``): the name without each known suffix it ends in (a pattern's stays one)."""
    lower, out = word.lower(), []
    for known, put in [(suffix.lower(), "")] + list(_GZIP_SUFFIXES.items()):
        at = len(word) - len(known)
        if known and lower.endswith(known) and at > 0 and word[at - 1] != "/":
            out.append(word[:at] + put)
    return list(dict.fromkeys(out))  # -S's default .gz is a known suffix too


# -- split and csplit: pieces named from a prefix

# (--filter runs a command: not on the table, so split with it is not placed)
_SPLIT = _table(
    "0123456789a:b:C:del:n:t:ux",
    {"suffix-length=": "a", "additional-suffix=": "additional", "bytes=": "b",
     "line-bytes=": "C", "numeric-suffixes==": "d", "hex-suffixes==": "x",
     "elide-empty-files": "e", "lines=": "l", "number=": "n", "separator=": "t",
     "unbuffered": "u", "verbose": "", "help": "", "version": ""},
)  # fmt: skip
_CSPLIT = _table(
    "b:f:kn:sqz",
    {"suffix-format=": "b", "prefix=": "f", "keep-files": "k", "suppress-matched": "",
     "digits=": "n", "quiet": "s", "silent": "s", "elide-empty-files": "z", "help": "",
     "version": ""},
)  # fmt: skip


def _split(name: str, args: List[str], env: Dict[str, str]) -> Reach:
    """split and csplit name their pieces PREFIX + a suffix they generate + split's
    --additional-suffix or csplit's -b format (red team 34 R34-7: ``split
    --additional-suffix=.pth p.pth <site>/zz`` writes zz*.pth): names Warden does not list, so
    any name beginning with PREFIX in its folder; a suffix that may hold a ``/`` (csplit
    takes one) writes where Warden cannot tell."""
    if name == "split":
        options, operands = read_options(args, _SPLIT)
        prefix, suffixes = (operands[1:2] or ["x"])[0], _values(options, "additional")
    else:
        options, _ = read_options(args, _CSPLIT)
        prefix, suffixes = (_values(options, "f") or ["xx"])[-1], _values(options, "b")
    if any("/" in s or UNPLACED.search(s) for s in suffixes):
        raise UnplacedWrites(f"{name} names its pieces with a suffix Warden cannot place")
    return [(TREE, prefix + "*")]


def _dd(args: List[str]) -> Optional[Reach]:
    reach = []
    for word in args:
        key, equals, value = word.partition("=")
        if not equals:
            return None if word not in ("--help", "--version") else []
        if key == "of":
            reach.append((FILE, value))
    return reach


# -- downloaders: their output names, or a file in the folder they run in

_CURL = _table(
    "#46fgiIkLNo:OqRsSvJH:A:e:u:X:d:m:C:r:x:K:",
    {"output=": "o", "remote-name": "O", "remote-name-all": "O", "remote-header-name": "J",
     "output-dir=": "output-dir", "create-dirs": "", "silent": "s", "show-error": "S",
     "location": "L", "fail": "f", "fail-with-body": "f", "insecure": "k", "verbose": "v",
     "include": "i", "head": "I", "globoff": "g", "no-buffer": "N", "progress-bar": "#",
     "disable": "q", "remote-time": "R", "ipv4": "4", "ipv6": "6", "header=": "H",
     "user-agent=": "A", "referer=": "e", "user=": "u", "request=": "X", "data=": "d",
     "data-raw=": "d", "data-binary=": "d", "data-urlencode=": "d", "max-time=": "m",
     "connect-timeout=": "", "retry=": "", "retry-delay=": "", "retry-max-time=": "",
     "retry-connrefused": "", "retry-all-errors": "", "continue-at=": "C", "range=": "r",
     "proxy=": "x", "compressed": "", "http1.1": "", "http2": "", "max-redirs=": "",
     "limit-rate=": "", "help==": "", "version": "", "url=": "url", "no-progress-meter": "",
     "config=": "K"},
)  # fmt: skip
_WGET = _table(
    "46cNqSvn:O:o:a:P:t:T:w:U:e:",
    {"output-document=": "O", "output-file=": "o", "append-output=": "a",
     "directory-prefix=": "P", "quiet": "q", "verbose": "v", "no-verbose": "nv",
     "continue": "c", "timestamping": "N", "server-response": "S", "tries=": "t",
     "timeout=": "T", "wait=": "w", "user-agent=": "U", "header=": "", "no-check-certificate": "",
     "show-progress": "", "progress=": "", "no-clobber": "", "content-disposition": "",
     "retry-connrefused": "", "waitretry=": "", "read-timeout=": "", "connect-timeout=": "",
     "dns-timeout=": "", "limit-rate=": "", "user=": "", "password=": "", "http-user=": "",
     "http-password=": "", "post-data=": "", "body-data=": "", "method=": "", "referer=": "",
     "max-redirect=": "", "inet4-only": "4", "inet6-only": "6", "no-config": "no-config",
     "https-only": "", "compression=": "", "help": "", "version": "", "execute=": "e",
     "config=": "config"},
)  # fmt: skip
# wgetrc commands (`-e COMMAND`) that set no place wget writes: the rest (dir_prefix,
# output_document, logfile, recursive, mirror...) and any Warden does not know may write
# anywhere. Names as wget compares them: case and `-`/`_` ignored.
_WGETRC_PLACELESS = frozenset(
    ("robots", "checkcertificate", "useproxy", "httpproxy", "httpsproxy", "noproxy", "tries",
     "timeout", "readtimeout", "connecttimeout", "dnstimeout", "useragent", "quiet",
     "verbose", "waitretry", "wait", "limitrate", "retryconnrefused", "httpsonly",
     "inet4only", "inet6only", "showprogress", "progress")
)  # fmt: skip


class UnplacedWrites(Exception):
    """A writer whose places a file Warden does not read may set (curlrc, wgetrc, -K)."""


class AnyPlace(UnplacedWrites):
    """A writer that may write anywhere, a site folder too: a place a text Warden does not
    have sets (an in-place editor's backup suffix ``$S``)."""


class CodeWrites(AnyPlace):
    """A writer whose places its own inline code sets (``_code_writes``): anywhere."""


def _config_files(names: List[Tuple[str, str]], env: Dict[str, str]) -> bool:
    for variable, name in names:
        folder = env.get(variable)
        if folder and os.path.exists(os.path.join(folder, name)):
            return True
    return False


def _curl(args: List[str], env: Dict[str, str]) -> Reach:
    """curl writes -o's files, and -O/-J names in the --output-dir or the folder it runs in;
    a config file (-K, a curlrc unless -q comes first) may set any of them."""
    read = args[:1] in (["-q"], ["--disable"]) or not _config_files(
        [("CURL_HOME", ".curlrc"), ("XDG_CONFIG_HOME", "curlrc"), ("HOME", ".curlrc"),
         ("HOME", ".config/curlrc")], env)  # fmt: skip
    if not read:
        raise UnplacedWrites("curl reads a curlrc")
    options, _ = read_options(args, _CURL)
    if "K" in _keys(options):
        raise UnplacedWrites("curl reads a config file")
    folder = (_values(options, "output-dir") or ["."])[-1]
    outputs = [v for v in _values(options, "o") if v != "-"]
    # `-o 'd/zz#1'` with a URL glob: `#N` is the text the glob matched (red team 37b R37b-3)
    reach = [(FILE, os.path.join(folder, re.sub(r"#\d+", "*", v))) for v in outputs]
    if {"O", "J"} & _keys(options):
        reach.append(from_server(folder))
    return reach


def from_server(folder: str) -> Tuple[str, str]:
    """The place of a file a downloader names from its URL or the server's answer (curl
    -O/-J, wget without -O): any name in ``folder`` (red team 37b R37b-3: ``curl -O
    --output-dir <site> URL/zz.pth``; a stand-in name was read by R31-6's by-name rule as no
    start-up name)."""
    return (TREE, os.path.join(folder, "*"))


def _wget(args: List[str], env: Dict[str, str]) -> Reach:
    """wget writes -O's file, or one file named from the URL in -P's folder or the folder it
    runs in, and its log (-o/-a); a wgetrc may set recursion or any folder."""
    options, _ = read_options(args, _WGET)
    keys = _keys(options)
    rc = env.get("WGETRC") or _config_files([("HOME", ".wgetrc")], env)
    if rc and "no-config" not in keys:
        raise UnplacedWrites("wget reads a wgetrc")
    if "config" in keys:
        raise AnyPlace("wget --config reads a wgetrc Warden does not, which may set any folder")
    commands = _values(options, "e")
    placing = [c for c in commands if _wgetrc_name(c) not in _WGETRC_PLACELESS]
    if placing:
        # red team 38b R38b-7: `-e 'dir_prefix = <site>'` is -P in a command's words
        raise AnyPlace(f"wget -e {placing[0][:60]!r} runs a wgetrc command that may set a folder")
    reach = [(FILE, v) for k, v in options if k in ("o", "a")]
    outputs = [v for v in _values(options, "O") if v != "-"]
    if outputs:
        return reach + [(FILE, v) for v in outputs]
    if "O" in keys:
        return reach  # -O -: standard output
    folder = (_values(options, "P") or ["."])[-1]
    return reach + [from_server(folder)]


def _wgetrc_name(command: str) -> str:
    """A wgetrc command's name as wget matches it (``Dir-Prefix = x`` is dirprefix)."""
    return command.split("=", 1)[0].strip().lower().replace("_", "").replace("-", "")


# -- tree writers with their own destinations: git clone, tar x, unzip -d

_GIT_GLOBAL = _table("C:c:pP", {"no-pager": "P", "paginate": "p"})
_GIT_CLONE = _table(
    "b:c:j:lno:qsu:v",
    {"bare": "", "branch=": "b", "config=": "c", "depth=": "", "dissociate": "",
     "filter=": "", "jobs=": "j", "local": "l", "mirror": "", "no-checkout": "n",
     "no-hardlinks": "", "no-single-branch": "", "no-tags": "", "origin=": "o",
     "progress": "", "quiet": "q", "recurse-submodules==": "", "recursive==": "",
     "reference=": "", "reference-if-able=": "", "reject-shallow": "", "no-reject-shallow": "",
     "remote-submodules": "", "separate-git-dir=": "separate", "shallow-exclude=": "",
     "shallow-since=": "", "shallow-submodules": "", "no-shallow-submodules": "",
     "shared": "s", "single-branch": "", "sparse": "", "upload-pack=": "u", "verbose": "v",
     "also-filter-submodules": "", "bundle-uri=": "", "server-option=": "", "ref-format=": ""},
)  # fmt: skip


_GIT_INIT = _table(
    "b:q",
    {"bare": "bare", "initial-branch=": "b", "object-format=": "", "quiet": "q",
     "ref-format=": "", "separate-git-dir=": "separate", "shared==": "", "template=": ""},
)  # fmt: skip
# git status writes only the repository's index (no hooks, no --output): nothing
_GIT_STATUS = _table(
    "bsu:vz",
    {"ahead-behind": "", "branch": "b", "column==": "", "find-renames==": "",
     "ignore-submodules==": "", "ignored==": "", "long": "", "no-ahead-behind": "",
     "no-column": "", "no-renames": "", "porcelain==": "", "renames": "", "short": "s",
     "show-stash": "", "untracked-files==": "u", "verbose": "v"},
)  # fmt: skip


def _git(args: List[str]) -> Optional[Reach]:
    """git clone writes the tree of DIR, or of the name git takes from the source
    (``https://h/org/repo.git`` is repo), git init DIR's .git (the tree of DIR with --bare),
    each in the folder ``-C`` names; git status nothing; other git commands (checkout, pull,
    worktree, commit and its hooks) write anywhere in the work tree: None."""
    at = 0
    while at < len(args) and args[at].startswith("-"):
        at += 2 if args[at] in ("-C", "-c") else 1
    options, _ = read_options(args[:at], _GIT_GLOBAL)
    base = os.path.join(*(["."] + _values(options, "C")))
    command, rest = args[at : at + 1], args[at + 1 :]
    if command == ["status"]:
        read_options(rest, _GIT_STATUS)
        return []
    if command == ["init"]:
        init_options, operands = read_options(rest, _GIT_INIT)
        folder = os.path.join(base, *operands[:1])
        own = folder if "bare" in _keys(init_options) else os.path.join(folder, ".git")
        separate = [(TREE, os.path.join(base, v)) for v in _values(init_options, "separate")]
        return [(TREE, own), (FILE, folder)] + separate
    if command != ["clone"]:
        return None
    clone_options, operands = read_options(rest, _GIT_CLONE)
    if not operands:
        return []
    dest = operands[1] if len(operands) > 1 else _cloned_name(operands[0])
    reach = [(TREE, os.path.join(base, dest))]
    return reach + [(TREE, os.path.join(base, v)) for v in _values(clone_options, "separate")]


def _cloned_name(source: str) -> str:
    """The folder `git clone SOURCE` makes (git's guess_dir_name): the last part of the
    source without a trailing ``/``, ``.git`` or ``.bundle``; '.' (all of the folder it runs
    in) where the guess is not that plain."""
    name = re.sub(r"(/\.git)?/*$", "", source)
    name = re.split(r"[/:]", name)[-1]
    name = re.sub(r"\.(git|bundle)$", "", name)
    return name if re.fullmatch(r"[A-Za-z0-9_.+-]+", name) and name not in (".", "..") else "."


_TAR_SHORT = "AcdrtuxaBGhiJjklmMnOopPRsSUvwWzZb:C:f:F:g:H:I:K:L:N:T:V:X:"
_TAR = _table(
    _TAR_SHORT,
    {"extract": "x", "get": "x", "create": "c", "list": "t", "append": "r", "update": "u",
     "concatenate": "A", "catenate": "A", "diff": "d", "compare": "d", "delete": "delete",
     "directory=": "C", "file=": "f", "gzip": "z", "gunzip": "z", "ungzip": "z",
     "bzip2": "j", "xz": "J", "lzma": "", "lzip": "", "lzop": "", "zstd": "",
     "compress": "Z", "uncompress": "Z", "auto-compress": "a", "verbose": "v",
     "strip-components=": "", "no-same-owner": "", "same-owner": "",
     "no-same-permissions": "", "preserve-permissions": "p", "same-permissions": "p",
     "keep-old-files": "k", "skip-old-files": "", "overwrite": "overwrite", "touch": "m",
     "exclude=": "", "wildcards": "", "no-wildcards": "", "anchored": "", "no-anchored": "",
     "one-top-level==": "", "totals==": "", "checkpoint==": "", "warning=": "",
     "numeric-owner": "", "owner=": "", "group=": "", "mode=": "", "mtime=": "", "sort=": "",
     "format=": "H", "show-transformed-names": "", "keep-newer-files": "",
     "no-overwrite-dir": "", "recursion": "", "no-recursion": "", "dereference": "h",
     "hard-dereference": "", "ignore-zeros": "i", "occurrence==": "", "force-local": "",
     "transform=": "", "xform=": "", "listed-incremental=": "g", "index-file=": "index",
     "files-from=": "T", "exclude-from=": "X", "null": "", "no-null": "", "help": "",
     "version": "", "blocking-factor=": "b", "record-size=": "", "label=": "V",
     "starting-file=": "K", "newer=": "N", "after-date=": "N", "newer-mtime=": "",
     "exclude-vcs": "", "exclude-caches": "", "verify": "W", "interactive": "w",
     "confirmation": "w", "check-links": "l", "sparse": "S", "preserve-order": "s",
     "same-order": "s", "incremental": "G", "seek": "n", "no-seek": "", "to-stdout": "O",
     "read-full-records": "B", "unlink-first": "U", "recursive-unlink": "",
     "ignore-failed-read": "", "no-ignore-command-error": "", "quiet": "", "xattrs": "",
     "no-xattrs": "", "acls": "", "no-acls": "", "selinux": "", "no-selinux": ""},
)  # fmt: skip
_TAR_WRITES_ARCHIVE = {"c", "r", "u", "A", "delete"}


def _tar(args: List[str]) -> Optional[Reach]:
    """tar x writes the tree of each folder -C leads to (in order: ``-C a -C b`` is a/b), and
    of the folder it runs in when a member comes before the first -C or none is given; tar c/r/u
    write the archive -f names; -P (absolute names), -I/-F/--to-command (programs): None."""
    if args and not args[0].startswith("-"):
        args = _old_style(args)
    options, operands = _tar_options(args)
    keys = _keys(options)
    if keys & {"P", "I", "F"}:
        return None
    reach = [(FILE, v) for k, v in options if k in ("g", "index")]
    if keys & _TAR_WRITES_ARCHIVE:
        archives = _values(options, "f")
        if not archives:
            raise UnplacedWrites("tar writes the archive $TAPE names")
        reach += [(FILE, v) for v in archives if v != "-"]
    if "x" not in keys or "O" in keys:
        return reach
    folder, folders = ".", []
    for key, value in options:
        if key == "C":
            folder = os.path.join(folder, value)
            folders.append(folder)
    if not folders or operands:
        folders.append(".")  # members named: any of them may come before the first -C
    return reach + [(TREE, f) for f in folders]


def replaces_files(name: str, args: List[str], env: Dict[str, str]) -> bool:
    """Whether the writer ``name`` with ``args`` replaces an existing non-folder at a name it
    writes (removes it, a link not followed, then makes its own) rather than writing into it
    (red team 50a R50a-3): tar x does, GNU tar ("if the existing file is a symbolic link, it is
    removed, not followed") as libarchive's bsdtar, unless ``--overwrite`` (GNU: writes into
    the file, through a link). A link to a file under the tree it unpacks (a venv's ``bin/python
    -> /base/python3.11``) is then no way to the file; a link to a folder still is (tar follows
    it on a member's way). TAR_OPTIONS (GNU tar reads options from it too): not told, False."""
    if name != "tar" or env.get("TAR_OPTIONS") or os.environ.get("TAR_OPTIONS"):
        return False
    if args and not args[0].startswith("-"):
        args = _old_style(args)
    try:
        options, _operands = _tar_options(args)
    except Unknown:
        return False
    return "x" in _keys(options) and "overwrite" not in _keys(options)


def _tar_options(args: List[str]):
    """tar's options; an unknown one (--to-command=, --use-compress-program) raises Unknown."""
    return read_options(args, _TAR)


def _old_style(args: List[str]) -> List[str]:
    """``tar xzf a.tgz -C d`` as ``-x -z -f a.tgz -C d``: the first word's letters, each
    letter that takes a value taking the next word in turn."""
    letters, rest, out = args[0], args[1:], []
    for letter in letters:
        out.append("-" + letter)
        if letter + ":" in _TAR_SHORT:
            if not rest:
                raise Unknown(args[0])
            out.append(rest.pop(0))
    return out + rest


def _unzip(args: List[str], env: Dict[str, str]) -> Optional[Reach]:
    """unzip writes the tree of -d's folder, or of the folder it runs in; -: (members with
    ``../``), UNZIP/UNZIPOPT (default options Warden does not read): None; -l/-t/-p/-c list,
    test or print."""
    if env.get("UNZIP") or env.get("UNZIPOPT"):
        return None
    dest = "."
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if not word.startswith("-") or word == "-":
            continue
        if ":" in word:
            return None
        letters, _, value = word[1:].partition("d")
        if re.search(r"[ltpc]", letters):
            return []
        if "d" in word[1:]:
            if not value:
                if i == len(args):
                    return None
                value, i = args[i], i + 1
            dest = value
    return [(TREE, dest)]


# -- python -c CODE that only computes and prints

_PYTHON_NAME = re.compile(r"^python(\d+(\.\d+)?)?$")
# flags before -c that change no file and read no code (-i reads stdin, -W/-X: not here)
_PYTHON_FLAGS = re.compile(r"^-[bBdEIOPqsSuvV]+$")
_PRINTING_BUILTINS = frozenset(
    ("print", "len", "str", "repr", "int", "float", "bool", "sum", "min", "max", "abs",
     "round", "range", "sorted", "list", "dict", "tuple", "set", "enumerate", "zip", "format")
)  # fmt: skip
# modules whose functions only report; ``import sys; print(sys.version)``
_REPORTING_MODULES = frozenset(("sys", "platform", "math"))
_PLAIN_NODES = (
    ast.Module, ast.Expr, ast.Assign, ast.Constant, ast.Name, ast.Load, ast.Store,
    ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
    ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.Tuple, ast.List, ast.keyword,
    ast.Call, ast.Attribute, ast.Import, ast.alias,
)  # fmt: skip


def _python(args: List[str]) -> Optional[Reach]:
    """``python -c CODE`` whose code only computes and prints (``print(1)``, ``import sys;
    print(sys.version)``): nothing; any other Python (a script, an import of the project's
    modules, open(), os): None. What Python runs at start-up is read at its start
    (``startup_modules``)."""
    i = 0
    while i < len(args) and _PYTHON_FLAGS.match(args[i]):
        i += 1
    if args[i : i + 1] != ["-c"] or i + 1 >= len(args):
        return None
    try:
        tree = ast.parse(args[i + 1])
    except (SyntaxError, ValueError):
        return None
    return [] if all(_printing(node) for node in ast.walk(tree)) else None


def _printing(node: ast.AST) -> bool:
    if not isinstance(node, _PLAIN_NODES):
        return False
    if isinstance(node, ast.Import):
        return all(a.name in _REPORTING_MODULES and a.asname is None for a in node.names)
    if isinstance(node, ast.Name):
        return node.id in _PRINTING_BUILTINS | _REPORTING_MODULES or not node.id.startswith("_")
    if isinstance(node, ast.Attribute):
        return not node.attr.startswith("_") and node.attr != "modules"
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id in _PRINTING_BUILTINS
        # platform.python_version(), math.sqrt(2); not platform.os.system(...)
        root = func.value if isinstance(func, ast.Attribute) else None
        return isinstance(root, ast.Name) and root.id in ("platform", "math")
    return True


# -- the allow list: a writer's name to what reads where it writes


def reach(name: str, args: List[str], env: Dict[str, str]) -> Optional[Reach]:
    """Where the writer ``name`` with ``args`` may write (``FILE``/``TREE`` paths as its
    words say them, relative to the folder it runs in); None for a writer not on the list or
    with an option its table does not know: it may write anything under the folder it runs
    in and its words' places. ``UnplacedWrites`` where a file Warden does not read may set
    the places."""
    try:
        found = _reader(name, args, env)
    except Unknown:
        found = None
    if found is None and _code_writes([name] + args):
        raise CodeWrites(name)
    return found


def _code_writes(words: List[str]) -> bool:
    """Whether a word of a start is an interpreter whose inline code after it may write a file
    where its text says (red team 36 R36-2: ``awk '{print > ENVIRON["T"]}'``, ``env perl -e
    'open(...)'``, ``xargs awk ...``): where it writes is in its code, not in a word."""
    from . import interpreters

    for j, word in enumerate(words):
        name = os.path.basename(word)
        if interpreters.code_writer_name(name) and interpreters.code_writes(name, words[j + 1 :]):
            return True
    return False


_XARGS = _table(
    "0a:d:E:I:L:n:P:prs:tx",
    {"null": "0", "arg-file=": "a", "delimiter=": "d", "eof==": "E", "replace==": "I",
     "max-lines==": "L", "max-args=": "n", "max-procs=": "P", "interactive": "p",
     "no-run-if-empty": "r", "max-chars=": "s", "verbose": "t", "exit": "x",
     "process-slot-var=": "", "open-tty": "", "show-limits": "", "help": "", "version": ""},
)  # fmt: skip


def _xargs(args: List[str]) -> Optional[Reach]:
    """xargs with no command runs echo (`export $(grep -v '^#' .env | xargs)`, a common way to
    load a .env file): it writes nothing; with a writer of the list, it writes where its input
    says (``UnplacedWrites``); with another command, what that command writes is not known
    here: None."""
    at = 0
    while at < len(args) and args[at].startswith("-") and args[at] != "--":
        at += 2 if re.fullmatch(r"-[adEILnPs]", args[at]) else 1
    if at < len(args) and args[at] == "--":
        at += 1
    read_options(args[:at], _XARGS)  # an option xargs does not have: Unknown, not placed
    command = args[at:]
    if not command or command[0] in ("echo", "printf", "true"):
        return []
    if _listed(os.path.basename(command[0])):
        # a writer of the list whose words come from xargs' input as well (`xargs cp p.pth`,
        # the destination on stdin: red team 34 R34-1): where it writes is not in the line
        raise UnplacedWrites(command[0])
    return None


# builtins that change the shell's own state (bash's; "printf -v" as the line reader names
# it) and removers: no file appears (trap, source, eval run code: not here)
_WRITES_NOTHING = frozenset(
    ("rm", "rmdir", "alias", "unalias", "bind", "enable", "getopts", "hash", "let", "mapfile",
     "read", "readarray", "shopt", "ulimit", "umask", "printf -v",
     # flow: a loop's `break`/`continue`, a function's `return`, `shift`, `wait`
     "break", "continue", "return", "shift", "wait",
     # assignment builtins, as the line reader names them: the shell's variables only
     "declare", "typeset", "local", "export", "readonly", "set", "unset",
     "an assignment with options",
     # tests and no-ops: a status only (`[[ -s $f ]]`: its words are operands, no places)
     "[[", "[", "test", "true", "false", ":")
)  # fmt: skip


def _cp(name: str, args: List[str], env: Dict[str, str]) -> Reach:
    options, _ = read_options(args, _CP)
    return _copies(_CP, bool({"r", "R", "a"} & _keys(options)), args, env)


def _uniq(name: str, args: List[str], env: Dict[str, str]) -> Reach:
    options, operands = read_options(args, _UNIQ)
    return [(FILE, w) for w in operands[1:2]]


def _sort(name: str, args: List[str], env: Dict[str, str]) -> Reach:
    options, _ = read_options(args, _SORT)
    return [(FILE, v) for k, v in options if k in ("o", "T")]


# the writers of the list by name, each to its reader (name, words, environment); a Python
# (``_PYTHON_NAME``) is read by ``_python``. One table, so ``may_write`` answers the common start
# (a program not on it) with one lookup.
_READERS: Dict[str, Callable[[str, List[str], Dict[str, str]], Optional[Reach]]] = {
    "cp": _cp,
    "mv": lambda name, args, env: _copies(_MV, True, args, env),
    # a link may name a folder: a tree
    "ln": lambda name, args, env: _copies(_LN, True, args, env) + _linked(args),
    "install": lambda name, args, env: _copies(_INSTALL, False, args, env),
    "chmod": lambda name, args, env: _mode_changer(_CHMOD, args, True),
    "chown": lambda name, args, env: _mode_changer(_CHOWN, args, False),
    "chgrp": lambda name, args, env: _mode_changer(_CHOWN, args, False),
    "xargs": lambda name, args, env: _xargs(args),
    "touch": lambda name, args, env: _files(_TOUCH, args),
    "tee": lambda name, args, env: _files(_TEE, args),
    "uniq": _uniq,
    "sort": _sort,
    "sed": lambda name, args, env: _sed(args),
    "gzip": _gzip,
    "gunzip": _gzip,
    "zcat": _gzip,
    "split": _split,
    "csplit": _split,
    "dd": lambda name, args, env: _dd(args),
    "curl": lambda name, args, env: _curl(args, env),
    "wget": lambda name, args, env: _wget(args, env),
    "git": lambda name, args, env: _git(args),
    "tar": lambda name, args, env: _tar(args),
    "unzip": lambda name, args, env: _unzip(args, env),
    "tmux": lambda name, args, env: _tmux(args),
}


def _tmux(args: List[str]) -> Optional[Reach]:
    """tmux writes nothing when its commands only report or start a shell with no command
    (``tmux ls && tmux new -s work``); else None: it may write anything where it runs."""
    from .tmux_login import writes_nothing

    return [] if writes_nothing(args) else None


def may_write(name: str) -> bool:
    """Whether ``reach`` may place a write for the program ``name``: a writer of the list, a
    Python, or an interpreter whose inline code may write (``interpreters.code_writes``). Any
    other program is None there (not on the list) and builtins that write nothing are ``[]``,
    so a caller that reads only placed writes skips them on this one look. A pure function of
    the name (the tables are read once), kept per name: a guarded Python asks it of its
    program's name at every start (``gate.InstallGate._child_writes``)."""
    known = _MAY_WRITE.get(name)
    if known is not None:
        return known
    if _listed(name):
        known = True
    else:
        global _interpreters
        if _interpreters is None:  # loaded on first use, kept: an import statement here ran
            # the guard's ``__import__`` (Python code: ``private_modules``) at every start
            from . import interpreters as _interpreters
        known = _interpreters.code_writer_name(name)  # awk, perl: their code may name a place
    if type(name) is str and len(name) <= 256:
        if len(_MAY_WRITE) >= 1024:
            _MAY_WRITE.clear()
        _MAY_WRITE[name] = known
    return known


_interpreters = None  # the module, once a start first needs it (``may_write``)
_MAY_WRITE: dict = {}  # name -> ``may_write``'s answer; bounded (cleared when full)


def _listed(name: str) -> bool:
    """A writer of the list (its places are in its words) or a Python."""
    return name in _READERS or _PYTHON_NAME.match(name) is not None


def _reader(name: str, args: List[str], env: Dict[str, str]) -> Optional[Reach]:
    if name in _WRITES_NOTHING:
        return []
    read = _READERS.get(name)
    if read is not None:
        return read(name, args, env)
    if _PYTHON_NAME.match(name):
        return _python(args)
    return None


# -- links a writer may make: the places a later writer on the line cannot resolve

# Writers on the allow list that surely make no link: they create regular files (or folders)
# by name, change modes, or print (red team 23 R23-1). cp is one unless its options copy or
# make links; the other writers of the list may leave a link where they write.
_MAKES_NO_LINK = frozenset(
    ("install", "chmod", "chown", "chgrp", "touch", "tee", "uniq", "sort", "sed", "gzip",
     "gunzip", "zcat", "dd", "curl", "wget", "split", "csplit")
)  # fmt: skip
# cp's keys that make a link (-l hard, -s symbolic) or copy one as a link (-P/-d, -a, -r/-R
# copy a source's links, and a folder's, as links)
_CP_LINKING = frozenset("lsPdarR")


def links(name: str, args: List[str], env: Dict[str, str]) -> Optional[Reach]:
    """Where the writer ``name`` with ``args`` may make a link, as ``reach`` says places (red
    team 23 R23-1: ``cp -s pbin/gzip g``, ``mv lnk g``, ``tar xf kit.tar -C kd`` with a member
    ``l -> /abs/pbin``): [] where it surely makes none; None where its words lead (a writer off
    the list: what it copies or unpacks lands where its words say). The links do not exist
    when Warden reads the line, so a later writer's place there cannot be resolved. (Not the
    whole folder an unknown program runs in: the code it runs may write any file as well as
    a link, which its places already take on trust; counting it would refuse ``python3 a.py
    && python3 b.py && python3 c.py`` wherever PATH holds a venv.)"""
    if name == "git":
        return _git_links(args)
    try:
        if reach(name, args, env) is None:
            return None
    except UnplacedWrites:
        return None
    if name in _WRITES_NOTHING or name in _MAKES_NO_LINK or _PYTHON_NAME.match(name):
        return []  # (python: only code that computes and prints is on the list)
    try:
        if name == "cp":
            options, _ = read_options(args, _CP)
            if not _CP_LINKING & _keys(options):
                return []
            return _copies(_CP, bool({"r", "R", "a"} & _keys(options)), args, env)
        if name == "mv":
            return _copies(_MV, True, args, env)  # the source itself: a link stays a link
        if name == "ln":
            return _copies(_LN, True, args, env)
        if name == "tar":
            places = _tar(args)  # tar -x's trees; an archive it writes is a file
            return None if places is None else [(k, p) for k, p in places if k == TREE]
        # any other writer of the list (unzip: its -d folder, attached or not, else the folder
        # it runs in, red team 24 R24-1): it may make a link anywhere it writes
        return [(TREE, p) for _kind, p in reach(name, args, env) or []]
    except (Unknown, UnplacedWrites):
        return None


def copied_sources(name: str, args: List[str]) -> Optional[List[str]]:
    """The sources of a cp or mv that makes no link of its own (no -l/-s) but copies or moves
    the ones its sources are or hold: the links it leaves are those (a source Warden can walk
    now holding none leaves none); None for any other writer."""
    try:
        if name == "mv":
            options, operands = read_options(args, _MV)
        elif name == "cp":
            options, operands = read_options(args, _CP)
            if {"l", "s"} & _keys(options):
                return None
        else:
            return None
    except Unknown:
        return None
    return operands if _values(options, "t") else operands[:-1]


# git commands that leave the work tree's files alone (they write .git, or nothing): an
# allow list; every other command may check files, and the links committed among them, out
_GIT_KEEPS_WORK_TREE = frozenset(
    ("add", "commit", "fetch", "log", "diff", "show", "branch", "tag", "remote", "config",
     "rev-parse", "ls-files", "ls-remote", "describe", "blame", "grep", "shortlog", "version",
     "help")
)  # fmt: skip


def _git_links(args: List[str]) -> Optional[Reach]:
    """Where git may make a link: a clone's tree; none for git init (it copies the templates
    of the user's own git settings) and the commands that keep the work tree; for any other
    command the tree of the folder it runs in (-C's) and of its words (``git worktree add
    ../wt``)."""
    at = 0
    while at < len(args) and args[at].startswith("-"):
        at += 2 if args[at] in ("-C", "-c") else 1
    command = args[at] if at < len(args) else ""
    try:
        if command == "clone":
            return _git(args)
        if command in ("init", "status") or command in _GIT_KEEPS_WORK_TREE:
            return []
        # any other command may write the work tree (red team 24 R24-1b: `git sparse-checkout
        # disable`, `bisect`): the checkouts' rule, not a list of the ones that do
        options, _ = read_options(args[:at], _GIT_GLOBAL)
    except Unknown:
        return None
    base = os.path.join(*(["."] + _values(options, "C")))
    words = [w for w in args[at + 1 :] if not w.startswith("-")]
    return [(TREE, base)] + [(TREE, os.path.join(base, w)) for w in words]
