"""Programs that run code given on their command line: perl, awk, node, ruby, php, lua, R,
julia, sed (red team 12 R12-6).

Warden reads a program it does not know by the words it is given: an installer named among
them refuses the start (red team 7 R7-13). Code computes names (``exec("u"."v", "sync")``,
``awk 'BEGIN { system("u" "v sync") }'``), so for these interpreters the code itself is read:
inline code (``-e``, awk's and sed's program operand) that holds a way to start a process or
to run code or a name computed at run time is refused, and so are options that load code from
elsewhere (``perl -M``, ``node -r``, ``awk -f``). Plain text processing (``awk '{print $1}'``,
``perl -pe 's/a/b/'``, ``sed 's/a/b/'``) runs. The table is schema/code-interpreters.json,
shared with the static side (src/deps/interpreters.ts); the kernel also reads a script file
an interpreter is given (the static side cannot).

The environment an interpreter starts with loads code too (red team 13 R13-15): options read
from a variable (``PERL5OPT=-MEvil``, ``NODE_OPTIONS=--require ./e.js``, ``RUBYOPT=-rx``) are
read as its own options, and a variable that puts code on its start-up path (``PERL5LIB``,
``RUBYLIB``: ruby requires rubygems from it at every start; ``LUA_INIT``, ``R_PROFILE_USER``)
refuses the start whatever its value. The kernel reads the start's whole environment (the
line's assignments, ``env``, the kernel's ``os.environ``); the static side the line's.
"""

import os
import re
from typing import List, Optional, Tuple

from ...contracts import load_contract
from .sed_script import refused_command as sed_refused_command

_LANGUAGES = None


def _languages() -> list:
    global _LANGUAGES
    if _LANGUAGES is None:
        table = load_contract("code-interpreters.json")["languages"]
        _LANGUAGES = [
            (name, re.compile(spec["name_pattern"]), re.compile(spec["starts"]), spec)
            for name, spec in table.items()
        ]
    return _LANGUAGES


def language(program: str) -> Optional[tuple]:
    """The table entry of an interpreter program name (a path's last part), None for others.
    A table name followed by a version (``perl5.36-x86_64-linux-gnu``, ``node20``, ``ruby3.1``:
    names systems ship, red team 14 R14-7) is that interpreter too."""
    for entry in _languages():
        if entry[1].match(program):
            return entry
    for entry in _languages():
        if any(re.match(re.escape(name) + r"[0-9.]", program) for name in entry[3]["names"]):
            return entry
    return None


_WRITER_NAMES = None  # one pattern: the names of the languages whose code may write a file


def code_writer_name(program: str) -> bool:
    """Whether ``program`` (a path's last part) names an interpreter whose inline code may
    write a file where its text says (the table's ``writes``): one match, for the hot path of
    a guarded Python's starts (``line_writers.may_write``)."""
    global _WRITER_NAMES
    if _WRITER_NAMES is None:  # the table's names only: its code patterns compile when read
        table = load_contract("code-interpreters.json")["languages"]
        writers = [spec for spec in table.values() if spec.get("writes")]
        names = "|".join(re.escape(n) for spec in writers for n in spec["names"])
        patterns = [f"(?:{spec['name_pattern']})" for spec in writers]
        _WRITER_NAMES = re.compile("|".join(patterns + [f"^(?:{names})[0-9.]"]))
    return _WRITER_NAMES.match(program) is not None


def code_writes(program: str, args: List[str]) -> bool:
    """Whether ``program args``, an interpreter of the table, runs inline code that may write a
    file where its text says (red team 36 R36-2: awk's `print > ENVIRON["T"]`, perl's
    `open(F, ">", PATH)`; the table's ``writes``): its places are in no word, so the caller
    reads it as a writer Warden cannot place. A script file's writes are read as any
    program's (where it runs and its words lead); an option that loads code is refused as a
    start already (``refused``), and counts here too."""
    entry = language(os.path.basename(program))
    if entry is None or not entry[3].get("writes"):
        return False
    spec = entry[3]
    code, operands, option = _code(args, spec)
    if option is None:
        return False  # `perl -v`: it prints and exits
    if not code and operands and spec["program_operand"]:
        code = [operands[0]]
    return bool(option) or any(re.search(spec["writes"], text) for text in code)


# operands that name the program's own input (R14-5): its code comes from stdin
_STDIN_OPERAND = re.compile(r"^(-|/dev/stdin|/dev/fd/\d+|/proc/[^/]+/fd/\d+)$")


_CODE_VARIABLES = None


def code_variable(name: str) -> bool:
    """Whether an environment variable named ``name`` loads code into some interpreter."""
    global _CODE_VARIABLES
    if _CODE_VARIABLES is None:
        _CODE_VARIABLES = frozenset(
            name
            for _n, _p, _s, spec in _languages()
            for name in (*spec.get("refused_env", ()), *spec.get("option_env", ()))
        )
    return name in _CODE_VARIABLES


def refused(
    program: str,
    args: List[str],
    read_script=None,
    env=None,
    started: bool = True,
    input_read: bool = False,
) -> str:
    """Why starting ``program args`` runs code Warden cannot read ('' when it does not);
    ``read_script(path)``: a script operand's text, None when it cannot be read in full;
    ``env``: the environment it starts with; ``started``: ``program`` is the program the start
    runs (not a word among an unknown program's words, which only may name one);
    ``input_read``: Warden decided what it reads on its input (a ``%%script perl`` body,
    ``body_refused``)."""
    entry = language(os.path.basename(program))
    if entry is None:
        return ""
    name, _pattern, starts, spec = entry
    why = _env_refused(program, spec, env or {})
    if why:
        return why
    code, operands, option = _code(args, spec)
    if option:
        return f"{program} {option} runs code from elsewhere, which Warden does not read"
    if option is None:
        return ""  # `perl -v`: it prints and exits
    magic = spec.get("magic_operand")
    for operand in operands if magic else ():
        if re.search(magic, operand):
            # perl's `<>` (-n, -p) opens each file operand with the two-argument open: `CMD |`
            # runs CMD (red team 14 R14-16)
            return (
                f"{program} may open {operand!r} as a command (its <> opens each operand with "
                "the two-argument open, and the shell may expand this one into such a name), "
                "which Warden does not read: name the files plainly (./*.txt for a pattern)"
            )
    script = False
    if not code and spec.get("stdin_code") and not spec["program_operand"] and not input_read:
        # `tclsh <<< 'exec u[]v ...'` (red team 13 R13-5), `perl - < x.pl`, `node < x.js`,
        # `perl /dev/fd/3 3< x.pl` (red team 14 R14-5): the code comes from its input
        if (started and not operands) or (operands and _STDIN_OPERAND.match(operands[0])):
            return f"{program} reads its code from its input, which Warden does not read"
    if not code and operands:
        if spec["program_operand"]:
            code = [operands[0]]
        elif operands[0].startswith(("~-", "~+")):
            # the shell's OLDPWD/PWD, which Warden does not follow (R14-18)
            return f"{program} runs the script {operands[0]!r}, which Warden cannot place"
        elif read_script is not None:
            text = read_script(operands[0])
            if text is None and started:
                # fail closed (R14-6, R14-17, R14-18): a folder, a descriptor, a file larger
                # than Warden reads or one it cannot open is no proof of "no code"
                return (
                    f"{program} runs {operands[0]!r}, which Warden cannot read in full as a "
                    "file: give a script file Warden can read"
                )
            code, script = ([text] if text is not None else []), True
    for text in code:
        found = starts.search(text)
        if found:
            what = "its script" if script else "its code"
            return (
                f"{program} runs code, and {what} may start a program or compute what it runs "
                f"({found.group(0).strip()!r}), which Warden does not read: run the installer "
                "directly, or keep the code to plain text processing"
            )
        command = sed_refused_command(text) if spec.get("script_reader") == "sed" else ""
        if command:
            return (
                f"{program} runs a script with {command}, which runs a command or writes a "
                "file Warden does not read: keep the script to text processing (red team 15)"
            )
        unlisted = unlisted_name(text, spec) if spec.get("code_names") else ""
        if unlisted:
            return (
                f"{program} runs code that uses {unlisted!r}, which is not among what Warden "
                "lets its code use (plain text processing: console, JSON, Math, string and array "
                "methods, names the code declares): run the installer directly"
            )
    return ""


def unlisted_name(text: str, spec: dict) -> str:
    """The first name (or text Warden cannot read as a token) of ``text`` that is not allowed
    by the table's allow rule ('' when all are): a deny list cannot win against reflection
    (``Object.getOwnPropertyDescriptor(this, 'req'+'uire')``, red team 14 R14-31), so code is
    read as tokens (``code_tokens``) and each name must be one of ``code_names``, one the
    code declares, or an object literal's key; after ``.`` one of ``code_names`` only."""
    token, tokens, pos = re.compile(spec["code_tokens"], re.ASCII), [], 0
    while pos < len(text):
        found = token.match(text, pos)
        if found is None or not found.group(0):
            return text[pos : pos + 20]  # `/`, a backslash, a character outside ASCII
        pos = found.end()
        if not found.group(0).isspace():
            tokens.append(found.group(0))
    names, declared, keys = set(spec["code_names"]), _declared(tokens), _pattern_keys(tokens)
    for i, word in enumerate(tokens):
        if word[0] in "'\"" and re.search(r"\\[^ntr\\'\"]", word):
            return word[:20]  # `"cons\x74ructor"`: a name Warden would read escaped (R15-3)
        if i in keys and word not in names:
            # a destructuring pattern's key reads that property, like `.` (R15-3)
            return word[:20]
        if not (word[0].isalpha() or word[0] in "_$"):
            continue
        before, after = tokens[i - 1] if i else "", tokens[i + 1] if i + 1 < len(tokens) else ""
        if word in names or (before != "." and word in declared):
            continue
        if before in ("{", ",") and after == ":":
            continue  # an object literal's key
        return word
    return ""


def _pattern_keys(tokens: List[str]) -> set:
    """The indices of the keys of the destructuring patterns of ``tokens``: a ``{`` after
    const/let/var, one whose ``}`` an assignment's ``=`` follows, one inside the parameters of
    an arrow or a function, and any ``{`` inside those. Its keys (a name or a string after the
    ``{`` or a ``,`` of its own level) read properties: ``({"constructor": F} = parseInt)``,
    ``({constructor: F}) => F`` (red team 15 R15-3)."""
    closing, stack = {}, []
    for i, word in enumerate(tokens):
        if word in ("{", "(", "["):
            stack.append(i)
        elif word in ("}", ")", "]") and stack:
            closing[stack.pop()] = i
    ranges = []
    for i, j in closing.items():
        before, after = tokens[i - 1] if i else "", tokens[j + 1 : j + 3]
        if tokens[i] == "{" and (
            before in ("const", "let", "var")
            or (after[:1] == ["="] and after[1:2] not in (["="], [">"]))
        ):
            ranges.append((i, j))
        elif tokens[i] == "(" and (after == ["=", ">"] or "function" in tokens[max(0, i - 2) : i]):
            ranges.append((i, j))
    keys = set()
    for i, j in closing.items():
        if tokens[i] != "{" or not any(a <= i and j <= b for a, b in ranges):
            continue
        depth = 0
        for k in range(i + 1, j):
            if depth == 0 and tokens[k - 1] in ("{", ",") and (k - 1 == i or tokens[k - 1] == ","):
                keys.add(k)
            depth += tokens[k] in ("{", "(", "[") and 1 or 0
            depth -= tokens[k] in ("}", ")", "]") and 1 or 0
    return keys


def _declared(tokens: List[str]) -> set:
    """The names code declares: after const/let/var/function, an arrow's parameter, and the
    plain names between parentheses that an arrow follows or ``function`` precedes."""
    declared, opened = set(), []
    for i, word in enumerate(tokens):
        after = tokens[i + 1 : i + 3]
        if word in ("const", "let", "var", "function") and i + 1 < len(tokens):
            declared.add(tokens[i + 1])
        elif after == ["=", ">"]:
            declared.add(word)
        if word == "(":
            opened.append(i)
        elif word == ")" and opened:
            start = opened.pop()
            inside = tokens[start + 1 : i]
            arrow = tokens[i + 1 : i + 3] == ["=", ">"]
            named = start and (
                tokens[start - 1] == "function" or tokens[start - 2 : start - 1] == ["function"]
            )
            if (arrow or named) and all(t == "," or t[0].isalpha() or t[0] in "_$" for t in inside):
                declared.update(t for t in inside if t != ",")
    return declared


def _env_refused(program: str, spec: dict, env) -> str:
    """Why the environment ``program`` starts with makes it load code ('' when it does not)."""
    variable, option = _refused_variable(spec, env)
    if not variable:
        return ""
    if not option:
        return (
            f"{program} starts with {variable} in its environment, which makes it load code "
            f"Warden does not read: remove it (os.environ.pop({variable!r}) in the notebook)"
        )
    return (
        f"{program} starts with {variable}={env[variable]!r}, whose {option} runs "
        "code from elsewhere, which Warden does not read"
    )


def refused_variable(program: str, env) -> Tuple[str, str]:
    """The variable of ``env`` that makes the interpreter ``program`` (a path or a name) load
    code when it starts, and the option of its value that does ('' for a ``refused_env`` one,
    refused whatever its value); ('', '') when none does or ``program`` is no interpreter of
    the table. A start whose ``#!`` line names the interpreter reads it (red team 25 R25-2)."""
    entry = language(os.path.basename(program))
    return _refused_variable(entry[3], env) if entry is not None else ("", "")


def _refused_variable(spec: dict, env) -> Tuple[str, str]:
    for variable in spec.get("refused_env", ()):
        if env.get(variable):
            return variable, ""
    for variable in spec.get("option_env", ()):
        # each word alone: a value of an option Warden does not know may stand between (the
        # program reads no operands there), and a value read as an option only refuses more
        for word in (env.get(variable) or "").replace('"', " ").replace("'", " ").split():
            option = _code([word], spec)[2] if word.startswith("-") else ""
            if option:
                return variable, option
    return "", ""


def in_place_edits(program: str, args: List[str]) -> Optional[Tuple[List[str], List[str]]]:
    """(the backup suffixes, the files) of an interpreter of the table that edits its file
    operands in place (the table's ``in_place_option``: ``perl -i.bak -pe CODE FILE``, ruby's
    -i), None where it edits none: the backup of each file is a name no word gives (red team
    37b R37b-1: ``perl -i.pth -pe '' <site>/zz`` renames zz to zz.pth)."""
    entry = language(os.path.basename(program))
    option = entry[3].get("in_place_option") if entry else None
    if not option:
        return None
    attached: List[Tuple[str, str]] = []
    code, operands, _refused = _code(args, entry[3], attached)
    suffixes = [value for name, value in attached if name == option]
    if not suffixes:
        return None
    return suffixes, operands if code else operands[1:]  # without -e: a script, then files


def code_and_operands(args: List[str], spec: dict):
    """``_code`` for another module (``replaced_words``): (inline code pieces, operands, a
    refused option, '' or None) of an interpreter's arguments, by its table ``spec``."""
    return _code(args, spec)


def _code(args: List[str], spec: dict, attached: Optional[list] = None):
    """(inline code pieces, operands, a refused option, '' or None when an exit option makes
    the program print and exit) of an interpreter's arguments, read by its own option grammar
    (schema/code-interpreters.json, red team 14 R14-34): ``perl -lne CODE``, ``-0777e``,
    ``node -pe CODE``, ``node --title x -e CODE``. ``attached``: gets (option, value) for each
    option whose value is the rest of its word (``perl -i.bak``)."""
    code, refused_options = [], set(spec["refused_options"])
    refused_pattern = spec.get("refused_option_pattern")
    code_options, valued = set(spec["code_options"]), set(spec["valued_options"])
    exits = set(spec.get("exit_options", ()))
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--" or not word.startswith("-") or word == "-":
            return code, args[i + (word == "--") :], ""
        if word.startswith("--") or spec.get("bundled", True) is False:
            option, eq, value = word.partition("=")
            option, abbreviated_refused = _long_option(option, spec)
            if (
                abbreviated_refused
                or option in refused_options
                or (
                    refused_pattern
                    and option.startswith("--")
                    and re.match(refused_pattern, option)
                )
            ):
                return code, [], option
            if option in code_options:
                code.append(value if eq else (args[i + 1] if i + 1 < len(args) else ""))
                i += 1 if eq else 2
                continue
            if word in exits and not code:
                return code, [], None
            separate = i + 1 < len(args) and not args[i + 1].startswith("-")
            i += 2 if (option in valued and not eq and separate) else 1
            continue
        if word in exits and not code:
            return code, [], None
        i, found = _bundle(args, i, code, spec, attached)
        if found:
            return code, [], found
    return code, [], ""


def _long_option(option: str, spec: dict):
    """(the option a long option's abbreviation stands for, whether it is refused) for a program
    whose table sets long_abbreviations (gawk reads ``--so`` as ``--source`` and ``--ex`` as
    ``--exec`` by getopt_long, red team 14 R14-15): refused when any option it may stand for
    is refused or when those differ in kind (a value taken or not)."""
    kinds = (spec["refused_options"], spec["code_options"], spec["valued_options"])
    if not spec.get("long_abbreviations") or len(option) < 3 or any(option in k for k in kinds):
        return option, False
    found = [
        (n, o)
        for n, kind in enumerate(kinds)
        for o in kind
        if o.startswith("--") and o.startswith(option)
    ]
    if not found:
        return option, False
    return found[0][1], found[0][0] == 0 or len({n for n, _o in found}) > 1


def listed_value_refused(value: str, listing: dict) -> bool:
    """Whether a listed option's value (mawk's ``-W``: comma-separated names, each maybe
    ``name=value``, any case, any unique abbreviation: ``-W e x.awk``, ``-Wi,e``, ``-W EXEC``
    read their program from a file, red team 14 R14-15) names anything but its allowed names."""
    allowed, known = listing["allowed"], listing["allowed"] + listing["others"]
    for item in value.split(","):
        name = item.partition("=")[0].strip().lower()
        if name in allowed:
            continue
        found = [n for n in known if name and n.startswith(name)]
        if name in listing["others"] or not found or any(n not in allowed for n in found):
            return True
    return False


def _bundle(args, i, code, spec, values=None):
    """One single-dash word: its letters are options until one takes a value (the rest of the
    word, or the next word). Returns (next index, a refused option or ''); ``values`` (a list)
    gets (option, value) of an option whose value is the rest of the word."""
    word = args[i]
    refused_options, code_options = set(spec["refused_options"]), set(spec["code_options"])
    valued, attached = set(spec["valued_options"]), set(spec.get("attached_options", ()))
    digits, listed = spec.get("digit_options", {}), spec.get("listed_options", {})
    k = 1
    while k < len(word):
        option, rest = "-" + word[k], word[k + 1 :]
        if option in refused_options:
            return i + 1, option
        if option in listed:
            # the value is the rest of the word or the next word, whatever it starts with
            value = rest or (args[i + 1] if i + 1 < len(args) else "")
            if listed_value_refused(value, listed[option]):
                return i + 1, f"{option} {value}"
            return (i + 1 if rest else i + 2), ""
        if option in code_options:
            if rest:
                code.append(rest)
                return i + 1, ""
            code.append(args[i + 1] if i + 1 < len(args) else "")
            return i + 2, ""
        if option in digits:
            # `perl -l015e CODE`, `-0777ne`: its value is the digits, then more letters
            k += 1 + re.match(digits[option], rest).end()
            continue
        if option in attached:
            if re.match(spec.get("code_value_options", {}).get(option, "(?!)"), rest):
                # perl pastes `-F/x/...` verbatim into `our @F=split(VALUE);` (R15-24)
                code.append(rest)
            if values is not None:
                values.append((option, rest))
            return i + 1, ""  # `perl -i.bak`, `-F:`: the rest of the word, never the next
        if option in valued:
            # a value of its own word only when that is no option: `perl -I lib -e CODE`
            separate = not rest and i + 1 < len(args) and not args[i + 1].startswith("-")
            return (i + 2 if separate else i + 1), ""
        k += 1
    return i + 1, ""


def body_refused(program: str, text: str, env=None) -> str:
    """Why a script magic's cell body (``%%perl``, ``%%script node``), the code ``program``
    reads on its stdin, may start a program Warden cannot see ('' when it may not); ``env``:
    the environment the program starts with (R13-15)."""
    entry = language(os.path.basename(program))
    if entry is None:
        return ""
    why = _env_refused(program, entry[3], env or {})
    if why:
        return why
    found = entry[2].search(text)
    if not found:
        return ""
    return (
        f"{program} runs the cell as code, which may start a program or compute what it runs "
        f"({found.group(0).strip()!r}): Warden does not read it"
    )
