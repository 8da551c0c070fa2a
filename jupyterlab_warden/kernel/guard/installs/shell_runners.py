"""Programs that run an argument as shell text or as a command of their own (red team 13
R13-5): ``script -c TEXT``, ``flock F -c TEXT``, ``watch TEXT``, ``git -c alias.x='!TEXT'``,
``tar --checkpoint-action=exec=TEXT``, ``ssh -o ProxyCommand=TEXT``, ``flock F CMD``,
``find -exec CMD ;``.

Warden reads a program it does not know by its words (an installer named among them refuses
it, red team 7 R7-13). Shell text the program hands to ``sh -c`` is a line of its own: the
inner shell expands it, so ``u$@v`` there builds uv's name where no word names it. This module
only finds those texts and commands (and the options that run code in a language Warden does
not read, vim's ``-c``, gdb's ``-ex``, sqlite3's ``.shell``); ``commands`` reads each text as
a shell line and each command as a start. The table is schema/shell-runners.json, shared with
the static side (src/deps/shellrunners.ts).
"""

import os
import re
import stat
from typing import List, NamedTuple, Optional

from ...contracts import load_contract
from . import make_variables

_PROGRAMS = None


class Reading(NamedTuple):
    texts: List[str]  # shell text the program runs (through sh -c)
    commands: List[List[str]]  # commands it starts, as words
    refused: str  # why it runs code Warden cannot read ('' when it does not)
    folders: tuple = ()  # folders whose every program it runs (run-parts DIR: red team 17 R17-9)
    # variables its option values add to what it starts (tmux new -e NAME=VALUE: R17-15)
    environment: tuple = ()
    # indexes of ``commands`` run in another folder than the start's (find -execdir: R17-5)
    moved: tuple = ()
    # indexes of ``commands`` started with their own text, not the program's input (script's
    # and flock's SHELL run `$SHELL -c TEXT`); the others read the input the program was given
    inputless: tuple = ()


def _programs() -> list:
    global _PROGRAMS
    if _PROGRAMS is None:
        table = load_contract("shell-runners.json")["programs"]
        _PROGRAMS = [
            (set(spec["names"]), re.compile(spec.get("name_pattern", "(?!)")), spec)
            for spec in table.values()
        ]
    return _PROGRAMS


_LAUNCHERS = None


def launches(program: str) -> bool:
    """Whether a program name (a path's last part) runs a command given as its operands: the
    table's ``launchers`` (chrt, setpriv, unshare, ld.so...) and every table program that
    runs a command from its operands (flock, strace, find -exec). With the wrappers
    commands.py unwraps, the one launcher set (red team 16 R16-5, R16-6). ssh's shell
    operands run on another host, tmux's command names are no programs: not launchers."""
    global _LAUNCHERS
    if _LAUNCHERS is None:
        table = load_contract("shell-runners.json")["launchers"]
        _LAUNCHERS = (frozenset(table["names"]), re.compile(table["name_pattern"]))
    names, pattern = _LAUNCHERS
    if program in names or pattern.match(program):
        return True
    spec = runner(program)
    starts = ("command_operands_from", "command_options", "folder_operands_from")
    return spec is not None and any(field in spec for field in starts)


def runner(program: str) -> Optional[dict]:
    """The table entry of a program name (a path's last part), None for others."""
    for names, pattern, spec in _programs():
        if program in names or pattern.match(program):
            return spec
    return None


def read(
    program: str, args: List[str], env=None, folder: Optional[str] = "", started: bool = True
) -> Optional[Reading]:
    """What ``program args`` (started with ``env``, in ``folder``: '' this process's, None
    unknown) runs as shell text or commands; None when it is not in the table. ``started``:
    ``program`` is the program the start runs, not a word among the words of a program Warden
    has no table for, which only may name one (red team 54c R54c-1: ``jupyter nbconvert --to
    script``): such a word is not refused for reading its input with no command given, nor
    for an option its table cannot place (its reading stops there)."""
    spec = runner(program)
    if spec is None:
        return None
    env = env or {}
    parse = _Parse(program, spec, folder, started)
    # options the program takes from its environment (MAKEFLAGS, LESS, ZIPOPT: red team 14
    # R14-9) are read as the options they are, before the line's own
    early: List[str] = []
    for name in spec.get("option_variables", ()):
        if spec.get("variable_assignments"):  # make: MAKEFLAGS split as make splits it
            early += make_variables.flag_words(env.get(name, ""))
            continue
        words = env.get(name, "").split()
        if words and not words[0].startswith(("-", "+")) and "=" not in words[0]:
            words[0] = "-" + words[0]  # LESS=R: single-letter flags
        early += words
    # settings from the environment first: an alias there names the subcommand (R15-9)
    for value_prefix, key_prefix in spec.get("setting_variables", {}).items():
        for name, value in env.items():  # GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!TEXT'
            if name.startswith(value_prefix):
                parse.setting(env.get(key_prefix + name[len(value_prefix) :], ""), value)
    reading = parse.run(early + list(args))
    if reading.refused:
        return reading
    started = _started_program(spec, parse, env)
    if started and started not in spec.get("standard_programs", ()):
        return Reading([], [], f"{program} would run {started[:60]!r} as its shell (-s/--shell, "
                       "or SHELL with -m/-p), which is no standard shell Warden reads: give "
                       "-s /bin/sh or /bin/bash, or drop it")  # fmt: skip
    why, texts = make_variables.read(spec, [], env)  # make imports its environment (R15-12)
    if why:
        return parse._refuse(why)
    reading.texts.extend(texts)
    if parse.refused_setting:
        return parse._refuse(parse.refused_setting)
    strip = spec.get("variable_text_prefix", r"^\s*!")
    for name, value in env.items():
        if _listed(name, spec.get("refused_variables", ())):
            return Reading([], [], f"{program} started with {name} runs settings or code "
                           "Warden does not read: start it without that variable")  # fmt: skip
        if _listed(name, spec.get("shell_variables", ())):
            # GIT_CONFIG_VALUE_0='!TEXT', LESSOPEN='|TEXT %s'
            reading.texts.append(re.sub(strip, "", value))
        elif _listed(name, spec.get("command_variables", ())) and value:
            reading.commands.append([value])
            reading = reading._replace(inputless=reading.inputless + (len(reading.commands) - 1,))
    return reading


def _started_program(spec: dict, parse: "_Parse", env) -> str:
    """The program a table program runs in place of its default (red team 17 R17-10): su's
    ``-s SHELL``, or with ``-m``/``-p`` the SHELL of its environment; '' for the default (the
    user's login shell)."""
    if parse.started:
        return parse.started
    if parse.given & set(spec.get("program_variable_with", ())):
        return env.get(spec.get("program_variable", ""), "")
    return ""


def _listed(name: str, names) -> bool:
    return any(name == n or (n.endswith("*") and name.startswith(n[:-1])) for n in names)


def runner_variable(name: str) -> bool:
    """Whether a variable is one a program of the table takes shell text or code from."""
    return (
        any(
            _listed(name, spec.get(field, ()))
            for _names, _pattern, spec in _programs()
            for field in (
                "shell_variables",
                "command_variables",
                "refused_variables",
                "option_variables",
            )
        )
        or any(name == spec.get("program_variable") for _names, _pattern, spec in _programs())
        or any(
            name.startswith(prefix)
            for _names, _pattern, spec in _programs()
            for pair in spec.get("setting_variables", {}).items()
            for prefix in pair
        )
        or any(make_variables.imported(spec, name) for _names, _pattern, spec in _programs())
    )


def split_bundle(word: str, flags) -> Optional[List[str]]:
    """A short-option word getopt reads as a bundle (red team 16 R16-9): a flag letter followed
    by more letters is that flag and the rest (``env -vS TEXT`` is ``-v -S TEXT``), so the
    rest is read as the option it is; None for any other word."""
    if word.startswith("--") or len(word) < 3 or word in flags or word[:2] not in flags:
        return None
    return [word[:2], "-" + word[2:]]


def long_option(written: str, known, valued=(), dangerous=(), single_dash=False):
    """The option a long-option word names as getopt_long resolves it (red team 14 R14-37):
    itself when ``known``, else the one ``known`` option it is a prefix of (``--ev`` is
    ``--eval``; options that all take a value and run nothing count as one: ``--fil``);
    '' when it may name a ``dangerous`` option but not one only (``--e`` of make: ``--eval``
    or ``--environment-overrides``: never read as data); None when it names no known option.
    ``single_dash``: getopt_long_only (gdb's ``-eval-com``), where a word of one letter is
    the short option."""
    if written in known:
        return written
    body = written.lstrip("-")
    if single_dash and not written.startswith("--") and len(body) < 2:
        return written
    dashes = "-" if single_dash else "--"
    found = sorted(
        k for k in known if k.startswith(dashes) and len(k) > 2 and k.lstrip("-").startswith(body)
    )
    risky = set(dangerous).intersection(found)
    if len({k.lstrip("-") for k in found}) == 1 or (
        found and set(found) <= set(valued) and not risky
    ):
        return found[0]
    return "" if risky else None


# a file operand or option value that is the program's own input
_STDIN_FILES = frozenset(("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"))
# a file of commands on another descriptor or made by the shell (make -f <(printf ..), R15-15;
# \x01: where the line's reading put a substitution's marker)
_DESCRIPTOR = re.compile(r"^(/dev/|/proc/|[<>]\()|\x01")
_DEVICE_TREE = re.compile(r"^/(dev|proc)(/|$)")
# a last path part the shell computes (`$X`, `$(echo /dev/stdin)`, a backtick; the line's
# marker of a substitution): the file it names is not known before the shell runs. One after
# a computed folder (`source $(conda info --base)/etc/profile.d/conda.sh`) is placed as written
_COMPUTED_NAME = re.compile(r"[$`\x01][^/]*$")


def commands_on_descriptor(path: str, folder: Optional[str] = "", unseen: bool = False) -> bool:
    """Whether a file of commands named ``path`` is one Warden cannot place and read: a
    process substitution (its marker, or `<(`/`>(` on the static side), anything under /dev/
    or /proc/ (another descriptor, a terminal, a pipe). One rule for every reader of a file of
    commands: make -f, a shell's script operand, source (red team 15 R15-15). Decided on the
    file the start opens, not on the spelling (red team 17 R17-5: ``bash ///dev/stdin``, ``make
    -C /dev -f stdin``, ``cd /dev && bash stdin``, a link to /proc/self/fd/0): placed from
    ``folder`` (the start's: '' this process's, None unknown, refused for a relative path),
    its real path under /dev or /proc, or a file that is no regular file (a FIFO, a socket, a
    device) counts. ``unseen``: a file not there yet may be made by an earlier command on the
    line (``ln -s /dev/stdin s && bash s <<< ...``) and counts too."""
    if _DESCRIPTOR.match(path) or _COMPUTED_NAME.search(path):
        return True
    if not os.path.isabs(path) and folder is None:
        return True
    placed = os.path.join(folder or "", path)
    if _DEVICE_TREE.match(os.path.realpath(placed)):
        return True
    try:
        mode = os.stat(placed).st_mode
    except OSError:
        return unseen
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _folder_after(folder: Optional[str], moves: List[str]) -> Optional[str]:
    """The folder ``make -C A -C B`` reads its makefiles from: each -C from the one before (an
    absolute one from the root), from the start's ``folder`` (None: unknown)."""
    for move in moves:
        if re.search(r"[$`\x01]", move):
            return None  # `-C $X`: a folder the shell computes
        if os.path.isabs(move) or folder is None:
            folder = move if os.path.isabs(move) else None
        else:
            folder = os.path.join(folder, move)
    return folder


# a word git accepts as a setting's key (config.c: a section of letters, digits, `-` and
# `.`, an optional subsection, a variable starting with a letter): a `git config` operand of
# another shape is a value, never a key git reads
_KEY_SHAPE = re.compile(r"^\s*[A-Za-z0-9.-]+(\..*)?\.[A-Za-z][A-Za-z0-9-]*\s*$", re.S)

_KEY_TABLES: dict = {}


def _key_table(name: str) -> list:
    """A generated key table (schema/git-config-keys.json) as (pattern, kind) pairs: ``<x>``
    is any middle part, ``*`` any rest."""
    if name not in _KEY_TABLES:
        _KEY_TABLES[name] = [
            (re.compile(r"\.".join(_key_part(p) for p in key.split(".")), re.S), kind)
            for key, kind in load_contract(name)["keys"].items()
        ]
    return _KEY_TABLES[name]


def _key_part(part: str) -> str:
    return ".+" if part.startswith("<") else ".*" if part == "*" else re.escape(part)


_SEVERITY = ("refused", "shell", "data")


def table_kind(name: str, key: str) -> str:
    """The kind of ``key`` in the key table ``name``: the most severe of every entry it matches
    (refused, shell, data), an ``inherit`` entry (http.<url>.*) deciding as the key without
    its middle part; 'unknown' when it matches none (red team 17, keys18)."""
    key = key.lower()
    kinds = set()
    for pattern, kind in _key_table(name):
        if pattern.fullmatch(key):
            if kind == "inherit":
                parts = key.split(".")
                kind = table_kind(name, f"{parts[0]}.{parts[-1]}")
            kinds.add(kind)
    return next((k for k in _SEVERITY if k in kinds), "unknown")


def setting_kind(spec: dict, key: str, value: str) -> str:
    """How a program of the table reads a ``KEY=VALUE`` setting: 'data', 'shell' (it runs the
    value), 'refused' (code or settings Warden does not read) or 'unknown' (deny by default):
    git's keys from the generated table ``setting_keys`` (its ``exact_data``: a value that is
    data for that key whatever the key's kind), apt's from its patterns; a key with
    ``allowed_values`` (apt's Dpkg::Options) is data only for a value on its list."""
    allowed = next(
        (v for k, v in spec.get("allowed_values", {}).items() if re.match(k, key, re.I)), None
    )
    if allowed is not None:  # dpkg options apt passes on: data only from a closed list
        return "data" if re.fullmatch(allowed, value.strip(), re.I) else "refused"
    if "setting_keys" in spec:
        if value in load_contract(spec["setting_keys"]).get("exact_data", {}).get(key.lower(), ()):
            return "data"  # what `git lfs install` writes: git-lfs's own filter (R18-9)
        return table_kind(spec["setting_keys"], key)
    for kind in _SEVERITY:
        if re.match(spec.get(f"{kind}_keys", "(?!)"), key, re.I):
            return kind
    return "unknown"


# option fields whose options run code or name where it comes from
_DANGEROUS = ("shell_options", "refused_options", "setting_options", "stdin_options")


class _Parse:
    """The program's options read the way getopt reads them (red team 14 R14-37): a long
    option by any unique prefix (``--ev=`` is ``--eval``), ``--opt=value`` or ``--opt value``,
    short options bundled until one takes a value (the rest of the word or the next word),
    tar's old first word (``cIf PROG x.tar``: values follow in order)."""

    def __init__(self, program: str, spec: dict, folder: Optional[str] = "", started=True):
        self.program, self.spec, self.folder = program, spec, folder
        self.start = started  # False: a word that only may name a start (``read``)
        # make -C DIR (applied before any -f, wherever it stands: R17-5), tmux new -e NAME=V
        self.directory_options = set(spec.get("directory_options", ()))
        self.environment_options = set(spec.get("environment_options", ()))
        self.directories: List[str] = []
        self.command_files: List[str] = []
        self.environment: dict = {}
        self.moved: List[int] = []
        self.shell = set(spec.get("shell_options", ()))
        self.prefixed = {k: re.compile(v, re.I) for k, v in spec.get("prefixed_values", {}).items()}
        self.refused = set(spec.get("refused_options", ()))
        self.settings = set(spec.get("setting_options", ()))
        self.stdin = set(spec.get("stdin_options", ()))
        self.valued = set(spec.get("valued_options", ())) | self.shell | set(self.prefixed)
        self.valued |= self.settings | self.stdin | self.directory_options
        self.valued |= self.environment_options
        # options whose value is OPTIONAL (getopt's `::`, red team 15 R15-1/R15-7): attached
        # only (`-j4`, `--jobs=4`), or the next word when it matches the program's own test
        # (make takes a next word of digits only); never a next word that is an option
        self.optional = {k: re.compile(v) for k, v in spec.get("optional_values", {}).items()}
        # options a subcommand reads as flags though the program's list has them valued
        # (git rebase -m is --merge, git commit -m takes a message: red team 15 R15-5)
        self.sub_flags = {k: set(v) for k, v in spec.get("subcommand_flags", {}).items()}
        # a subcommand's own valued and refused options (git config -f FILE, --default V;
        # git config -e runs the editor: red team 15 R15-11)
        self.sub_valued = {k: set(v) for k, v in spec.get("subcommand_valued", {}).items()}
        self.sub_refused = {k: set(v) for k, v in spec.get("subcommand_refused", {}).items()}
        self.sub = ""  # the subcommand word seen so far (options_anywhere tables)
        self.complete = bool(spec.get("options_complete"))
        # each subcommand's own options, generated (git's `subcommand_tables`: keys18)
        tables = spec.get("subcommand_tables")
        self.tables = load_contract(tables)["subcommands"] if tables else {}
        # the program's own commands (git's builtins and exec-path commands, generated): any
        # other first operand names a program it looks up on PATH (git-NAME, red team 18 R18-1)
        self.own_commands = frozenset(load_contract(tables).get("commands", ())) if tables else None
        self.values: dict = {}  # option -> its closed list of values (a merge strategy)
        # alias word -> the words it stands for (git -c alias.cfg=config: R15-9)
        self.aliases: dict = {}
        self.dangerous = self.shell | self.refused | self.settings | self.stdin | set(self.prefixed)
        self.known = self.valued | self.refused | set(spec.get("flag_options", ()))
        self.known |= set(self.optional)
        for options in (*self.sub_valued.values(), *self.sub_refused.values()):
            self.known |= options
        self.refused_setting = ""  # "setting KEY" / "command WORD" it refuses
        self.texts: List[str] = []
        self.commands: List[List[str]] = []
        self.shell_given = False  # a command given by an option (script -c): stdin is data
        self.given: set = set()  # the options seen (run-parts --list runs nothing)
        self.program_options = set(spec.get("program_options", ()))
        self.valued |= self.program_options
        # the program an option names (su -s SHELL); self.program is the table program's
        # own name, which every reason starts with (R18-9: one attribute held both)
        self.started = ""
        self.reads_stdin = ""

    def _refuse(self, what: str) -> Reading:
        return Reading(
            [], [], f"{self.program} {what} runs commands Warden does not read: run the "
            "installer directly, or start the program without it"
        )  # fmt: skip

    def _unknown(self, option: str) -> Reading:
        # deny by default: an option the table does not list (of a table that lists them
        # all), or an abbreviation getopt may resolve to an option that runs commands. A word
        # that only may name a start (`--to script --stdout`): what was read so far is read,
        # the rest is the outer program's words, which its own readings cover (an installer
        # named, shell text handed: commands._refuse_unread)
        if not self.start:
            return Reading(self.texts, self.commands, "")
        return Reading([], [], f"{self.program} {option[:30]} is no option Warden can place "
                       f"(unknown, or short for more than one), and {self.program} runs "
                       "commands: spell the option out, or run the installer directly")  # fmt: skip

    def resolve(self, option: str):
        """The table's option ``option`` names (``long_option``); '' for one Warden cannot
        place: also an unknown option of a table that lists all of them."""
        if self.spec.get("exact_options"):
            return option
        if option.startswith(tuple(self.spec.get("option_families", ()))):
            return option  # dpkg's --force-confold: a family whose rest is its value
        found = long_option(
            option, self.known, self.valued, self.dangerous, self.spec.get("single_dash_long")
        )
        if found is None:  # an option the table does not name: deny by default when complete
            return "" if self.complete else option
        return found

    def _takes(self, option: str) -> str:
        """How ``option`` takes its value: 'next' (the next word when none is attached),
        'optional' (attached, or a next word matching the program's test), '' (a flag)."""
        if option in self.sub_flags.get(self.sub, ()):
            return ""
        if option in self.sub_valued.get(self.sub, ()):
            return "next"
        if option in self.optional:
            return "optional"
        return "next" if option in self.valued else ""

    def _next(self, option: str, args: List[str], i: int):
        """The value ``option`` takes from ``args[i]`` (the word after it) and the index after
        it; None when that word names an option that runs commands: getopt may read it as
        that option (a valued option Warden's table has wrong, R15-5), so it is never data."""
        word = args[i] if i < len(args) else ""
        if self._takes(option) == "optional":
            return ("", i) if not self.optional[option].fullmatch(word) else (word, i + 1)
        if word.startswith("-") and len(word) > 1 and word != "--":
            named = self.resolve(word.partition("=")[0]) if word.startswith("--") else ""
            if not word.startswith("--"):
                named = next((o for o in self._multi() if word.startswith(o)), word[:2])
            if not named or named in self.dangerous:
                return None
        return word, i + 1

    def _after_option(self, option: str, word: str) -> Reading:
        return self._refuse(f"{option} followed by {word[:20]!r} (getopt may read that word as "
                            "the option it names)")  # fmt: skip

    def _multi(self):
        return sorted((o for o in self.known if len(o) > 2 and o[1] != "-"), key=len, reverse=True)

    def setting(self, key: str, value: str) -> None:
        """A ``KEY=VALUE`` setting (git's ``-c``, ``config KEY VALUE``, apt's ``-o``): shell
        text for a key the program runs as a command (an alias, ``core.sshCommand``),
        refused for one that brings code or settings from elsewhere (``include.path``,
        ``core.hooksPath``) and for every key not known as data (deny by default)."""
        key = key.strip()
        if self.spec.get("keys_normalised"):  # apt's ProxyAutoDetect / Proxy-Auto-Detect
            key = re.sub(r"[-_]", "", key)
        alias = re.match(self.spec.get("alias_keys", "(?!)"), key, re.I)
        if alias and not value.lstrip().startswith("!") and value.split():
            # an alias of a subcommand (git -c alias.cfg=config cfg ...): the alias word is
            # read as the words it stands for (red team 15 R15-9)
            self.aliases[alias.group(1).lower()] = value.split()
            if re.search(r"[\"'\\]", value) and not self.refused_setting:
                # git splits an alias's words at quotes and backslashes as well (split_cmdline):
                # a quoted option (`clone "--upload-pack=CMD ARGS"`) would be read as other words
                self.refused_setting = f"setting {key[:60]} (an alias with quotes)"
        refused = self.spec.get("refused_operand")
        if re.match(self.spec.get("url_keys", "(?!)"), key, re.I) and re.search(refused, value):
            # a remote's URL `NAME::ADDR` / `NAME://` runs git-remote-NAME (red team 18 R18-2)
            self.refused_setting = self.refused_setting or f"setting {key[:60]} {value[:30]!r}"
        kind = setting_kind(self.spec, key, value)
        if kind == "shell":
            self.texts.append(re.sub(r"^\s*!", "", value))
        elif kind != "data" and not self.refused_setting:
            # deny by default: any key Warden's lists do not know may name a program
            unknown = " (a key Warden does not know as data)" if kind == "unknown" else ""
            self.refused_setting = f"setting {key[:60]}{unknown}"

    def _enter(self, table: dict) -> None:
        """Options after a subcommand of the generated table (schema/git-cli.json) are that
        subcommand's own, from its ``--help-all`` (keys18): one it does not list is refused
        (deny by default: `git clone -u` is a program, `git push -u` a flag), and its lists
        say which run a command, are refused, are a setting or take a closed list of values."""
        self.shell = set(table.get("shell", ()))
        self.refused = set(table.get("refused", ()))
        self.settings = set(table.get("setting", ()))
        self.prefixed, self.stdin = {}, set()
        self.valued = set(table.get("valued", ())) | self.shell | self.settings
        self.optional = {k: re.compile("(?!)") for k in table.get("optional", ())}  # `=V` only
        self.values = {k: re.compile(v) for k, v in table.get("values", {}).items()}
        self.known = self.valued | self.refused | set(table.get("flags", ())) | set(self.optional)
        self.dangerous = self.shell | self.refused | self.settings | set(self.values)
        self.sub_flags, self.sub_valued, self.sub_refused = {}, {}, {}
        self.complete = True

    def _value(self, option: str, value: str) -> None:
        if option in self.values and not self.values[option].fullmatch(value.strip()):
            # git merge -s NAME runs git-merge-NAME: a strategy git does not build in is a
            # program from its exec path or PATH
            what = f"{option} {value[:20]!r} (a value not on its closed list names a program)"
            self.refused_setting = self.refused_setting or what
        if option in self.program_options:
            self.started = value
        elif option in self.settings:
            key, _, text = value.partition("=")
            self.setting(key, text)
        elif option in self.shell:
            self.texts.append(value)
            self.shell_given = True
        elif option in self.stdin and (value in _STDIN_FILES or commands_on_descriptor(value)):
            self.reads_stdin = f"{option} {value}"  # make -f -: a makefile from its input
        elif option in self.stdin:
            self.command_files.append(f"{option} {value}")  # placed once -C is known
        elif option in self.directory_options:
            self.directories.append(value)
        elif option in self.environment_options and "=" in value:
            name, _, text = value.partition("=")
            self.environment[name] = text
        elif option in self.prefixed:
            found = self.prefixed[option].match(value)
            # `exec=TEXT`, `alias.x=!TEXT`, `ProxyCommand=TEXT`; else data (or no text)
            if found and value[found.end() :]:
                self.texts.append(value[found.end() :])

    def run(self, args: List[str]) -> Reading:
        spec, operands, i, expanded = self.spec, [], 0, False
        text = spec.get("refused_text")
        held = next((w for w in args if text and re.search(text, w)), None)
        if held is not None:  # tmux's `#(CMD)` in a format: a shell command tmux runs
            found = re.search(text, held).group(0)
            return self._refuse(f"format {found!r} (its argument runs a shell command)")
        ends = spec.get("command_options", ())
        if args and spec.get("old_style_bundle") and not args[0].startswith("-"):
            i, refused = self._bundle(["-" + args[0]] + args[1:], 0, old=True)
            if refused:
                return refused
        while i < len(args):
            word = args[i]
            if word == "--" and not ends:
                operands += args[i + 1 :]
                break
            prefix = next((p for p in spec.get("refused_prefixes", ()) if word.startswith(p)), "")
            if prefix and not re.fullmatch(r"\+\d*", word):
                return self._refuse(f"{word[:20]!r}")
            if word in ends:  # find -exec CMD ARGS ; (or +)
                end = next((k for k in range(i + 1, len(args)) if args[k] in (";", "+")), len(args))
                self.commands.append(args[i + 1 : end])
                if word in spec.get("folder_command_options", ()):  # each found file's folder
                    self.moved.append(len(self.commands) - 1)
                i = end + 1
                continue
            if not word.startswith("-") or word == "-":
                if not operands and self.own_commands and word not in self.own_commands:
                    # git tries git-WORD from its exec path and PATH BEFORE an alias of that
                    # name, and again for an alias's first word: the word as written and as
                    # expanded
                    return self._refuse(
                        f"{word[:30]!r} (not a command of its own: it runs the program "
                        f"{self.spec['names'][0]}-{word[:30]} found on PATH; run that directly)"
                    )
                if not operands and not expanded:
                    # git reads an alias's words in place of the alias, its options too
                    # (`-c alias.c='clone --upload-pack=CMD' c URL`: keys18); once (a loop of
                    # aliases is git's error)
                    args, expanded = args[:i] + self._aliased([word]) + args[i + 1 :], True
                    if args[i] != word:
                        continue  # the alias's first word read afresh (`-p log`: an option)
                if not operands:
                    self.sub = word
                    if self.sub in self.tables:
                        self._enter(self.tables[self.sub])
                if not spec.get("options_anywhere"):
                    operands += args[i:]
                    break
                operands.append(word)
                i += 1
                continue
            if word.startswith("--") or spec.get("single_dash_long"):
                written, eq, value = word.partition("=")
                option = self.resolve(written)
                if not option:
                    return self._unknown(written)
                self.given.add(option)
                if option in self.refused or option in self.sub_refused.get(self.sub, ()):
                    return self._refuse(option)
                if self._takes(option) and not eq:
                    taken = self._next(option, args, i + 1)
                    if taken is None:
                        return self._after_option(written, args[i + 1])
                    value, i = taken[0], taken[1] - 1
                self._value(option, value)
                i += 1
                continue
            i, refused = self._bundle(args, i)
            if refused:
                return refused
        return self._operands(operands)

    def _bundle(self, args: List[str], i: int, old: bool = False):
        """One single-dash word: letters are options until one takes a value (the rest of the
        word, or the next word; ``old``: tar's first word, each valued letter takes the next
        word in order). A table's multi-letter short option (zip's ``-TT``) is one option."""
        word, k, after = args[i], 1, i + 1
        multi = self._multi()
        while k < len(word):
            option = next((o for o in multi if word.startswith(o[1:], k)), "-" + word[k])
            k += len(option) - 1
            self.given.add(option)
            if option not in self.known and self.complete:
                return after, self._unknown(option)
            if option in self.refused or option in self.sub_refused.get(self.sub, ()):
                return after, self._refuse(option)
            if self._takes(option):
                if old or not word[k:]:
                    taken = self._next(option, args, after)
                    if taken is None:
                        return after, self._after_option(option, args[after])
                    value, after = taken
                else:
                    value, k = word[k:], len(word)
                self._value(option, value)
                if not old:
                    break
        return after, None

    def _operands(self, operands: List[str]) -> Reading:
        spec = self.spec
        why, texts = make_variables.read(spec, operands, {})  # make VAR=VALUE (R15-12, R15-17)
        if why:
            return self._refuse(why)
        self.texts.extend(texts)
        refused = spec.get("refused_operand")
        if refused:
            for word in operands[spec.get("operands_from", 0) :]:
                found = re.search(refused, word)
                # sqlite3 "$(cat x.sql)": the text is the shell's to build, not Warden's to read
                if found or (spec.get("operands_expanded") and re.search(r"[$`]", word)):
                    return self._refuse(f"{word[:40]!r}")
        start = spec.get("shell_operands_from")
        if start is not None and len(operands) > start:
            self.texts.append(" ".join(operands[start:]))
        start = spec.get("command_operands_from")
        if start is not None and len(operands) > start:
            self.commands.append(operands[start:])
        folder = _folder_after(self.folder, self.directories)
        for written in self.command_files:
            if commands_on_descriptor(written.split(" ", 1)[1], folder):
                self.reads_stdin = self.reads_stdin or written
        limit = spec.get("stdin_commands")
        # a word among an unknown program's words: whether that program hands it its input is
        # as unknown as whether it reads its input as commands itself, which Warden does not
        # refuse either (`dpkg -s bash`, `which node`: read with no input of their own)
        if limit is not None and self.start and not self.shell_given and len(operands) <= limit:
            self.reads_stdin = self.reads_stdin or "with no command given"
        if self.reads_stdin:
            # sqlite3's `.shell`, ed's `!cmd`, script's shell, `make -f -`: commands from a
            # pipe, a redirection, a heredoc or a %%script body (red team 14 R14-10, R14-27)
            return Reading([], [], f"{self.program} ({self.reads_stdin}) reads commands from its "
                           "input (a pipe, a redirection, a heredoc or a %%script body), which "
                           "Warden does not read: give them as arguments")  # fmt: skip
        separator = spec.get("command_separator")
        segments = [[]]
        for word in operands:  # tmux new -d ';' run-shell TEXT: commands of their own
            if separator and (word == separator or word.endswith("\\" + separator)):
                segments.append([])
            else:
                segments[-1].append(word)
        for segment in segments:
            self._subcommand(segment)
        if self.refused_setting:
            return self._refuse(self.refused_setting)
        environment = tuple(self.environment.items())
        return Reading(
            self.texts, self.commands, "", self._folders(operands), environment, tuple(self.moved)
        )

    def _folders(self, operands: List[str]) -> tuple:
        """The folder whose every program the program runs (``run-parts DIR``), unless an
        option makes it only list them (``--test``, ``--list``)."""
        start = self.spec.get("folder_operands_from")
        if start is None or self.given & set(self.spec.get("listing_options", ())):
            return ()
        return tuple(operands[start:])

    def _command_name(self, word: str) -> str:
        """A tmux command word as tmux resolves it (red team 15 R15-8): an exact name or
        alias, else the one full name it is a prefix of (``new-s`` is new-session); an
        ambiguous or unknown word is an error to tmux, and stays as written."""
        names = self.spec.get("command_names")
        if not names or word in names:
            return word
        found = [n for n in names if "-" in n and n.startswith(word)]
        return found[0] if len(found) == 1 else word

    def _aliased(self, operands: List[str]) -> List[str]:
        """``operands`` with a first word that is an alias (of a setting ``alias_keys``
        matches) replaced by the words it stands for, as git expands it (an alias of an
        alias too, a few levels: git refuses a loop)."""
        for _ in range(8):
            words = self.aliases.get(operands[0].lower()) if operands else None
            if not words or words[0].lower() == operands[0].lower():
                break
            operands = words + operands[1:]
        return operands

    def _subcommand(self, operands: List[str]) -> None:
        operands = self._aliased(operands)
        for k, word in enumerate(operands):
            word = self._command_name(word) if k == 0 else word
            kind = self.spec.get("subcommands", {}).get(word)
            if kind is None:
                continue
            rest = operands[k + 1 :]
            if kind == "shell" and rest:
                self.texts.append(" ".join(rest))
            elif kind == "refused":  # tmux source-file: commands from a file
                self.refused_setting = self.refused_setting or f"command {word}"
            elif kind == "setting":
                # `git config [set] KEY VALUE`: an alias (`!TEXT`) or a command setting; every
                # two operands in a row are read as KEY VALUE (git config's own options are
                # taken with their values, subcommand_valued: R15-11), so no spelling of the
                # command line puts a key where Warden reads a value
                for key, value in zip(rest, rest[1:]):
                    if _KEY_SHAPE.match(key):  # git refuses any other word as a key
                        self.setting(key, value)
            break
