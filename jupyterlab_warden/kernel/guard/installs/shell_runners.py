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

import re
from typing import List, NamedTuple, Optional

from ...contracts import load_contract

_PROGRAMS = None


class Reading(NamedTuple):
    texts: List[str]  # shell text the program runs (through sh -c)
    commands: List[List[str]]  # commands it starts, as words
    refused: str  # why it runs code Warden cannot read ('' when it does not)


def _programs() -> list:
    global _PROGRAMS
    if _PROGRAMS is None:
        table = load_contract("shell-runners.json")["programs"]
        _PROGRAMS = [
            (set(spec["names"]), re.compile(spec.get("name_pattern", "(?!)")), spec)
            for spec in table.values()
        ]
    return _PROGRAMS


def runner(program: str) -> Optional[dict]:
    """The table entry of a program name (a path's last part), None for others."""
    for names, pattern, spec in _programs():
        if program in names or pattern.match(program):
            return spec
    return None


def read(program: str, args: List[str], env=None) -> Optional[Reading]:
    """What ``program args`` (started with ``env``) runs as shell text or commands; None when
    it is not in the table."""
    spec = runner(program)
    if spec is None:
        return None
    parse = _Parse(program, spec)
    reading = parse.run(list(args))
    if reading.refused:
        return reading
    env = env or {}
    for value_prefix, key_prefix in spec.get("setting_variables", {}).items():
        for name, value in env.items():  # GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!TEXT'
            if name.startswith(value_prefix):
                parse.setting(env.get(key_prefix + name[len(value_prefix) :], ""), value)
    if parse.refused_setting:
        return parse._refuse(f"setting {parse.refused_setting}")
    for name, value in env.items():
        if _listed(name, spec.get("refused_variables", ())):
            return Reading([], [], f"{program} started with {name} runs settings or code "
                           "Warden does not read: start it without that variable")  # fmt: skip
        if _listed(name, spec.get("shell_variables", ())):
            reading.texts.append(re.sub(r"^\s*!", "", value))  # GIT_CONFIG_VALUE_0='!TEXT'
        elif _listed(name, spec.get("command_variables", ())) and value:
            reading.commands.append([value])
    return reading


def _listed(name: str, names) -> bool:
    return any(name == n or (n.endswith("*") and name.startswith(n[:-1])) for n in names)


def runner_variable(name: str) -> bool:
    """Whether a variable is one a program of the table takes shell text or code from."""
    return any(
        _listed(name, spec.get(field, ()))
        for _names, _pattern, spec in _programs()
        for field in ("shell_variables", "command_variables", "refused_variables")
    ) or any(
        name.startswith(prefix)
        for _names, _pattern, spec in _programs()
        for pair in spec.get("setting_variables", {}).items()
        for prefix in pair
    )


class _Parse:
    def __init__(self, program: str, spec: dict):
        self.program, self.spec = program, spec
        self.shell = set(spec.get("shell_options", ()))
        self.prefixed = {k: re.compile(v, re.I) for k, v in spec.get("prefixed_values", {}).items()}
        self.refused = set(spec.get("refused_options", ()))
        self.settings = set(spec.get("setting_options", ()))
        self.valued = set(spec.get("valued_options", ())) | self.shell | set(self.prefixed)
        self.valued |= self.settings
        self.refused_setting = ""
        self.texts: List[str] = []
        self.commands: List[List[str]] = []

    def _refuse(self, what: str) -> Reading:
        return Reading(
            [], [], f"{self.program} {what} runs commands Warden does not read: run the "
            "installer directly, or start the program without it"
        )  # fmt: skip

    def setting(self, key: str, value: str) -> None:
        """A ``KEY=VALUE`` setting (git's ``-c``, ``config KEY VALUE``): shell text for a key
        git runs as a command (an alias, ``core.sshCommand``), refused for one that brings
        code from a file (``include.path``, ``core.hooksPath``), data otherwise."""
        if re.match(self.spec.get("refused_keys", "(?!)"), key.strip(), re.I):
            self.refused_setting = self.refused_setting or key.strip()
        elif re.match(self.spec.get("shell_keys", "(?!)"), key.strip(), re.I):
            self.texts.append(re.sub(r"^\s*!", "", value))

    def _value(self, option: str, value: str) -> None:
        if option in self.settings:
            key, _, text = value.partition("=")
            self.setting(key, text)
        elif option in self.shell:
            self.texts.append(value)
        elif option in self.prefixed:
            found = self.prefixed[option].match(value)
            if found:  # `exec=TEXT`, `alias.x=!TEXT`, `ProxyCommand=TEXT`; else data
                self.texts.append(value[found.end() :])

    def run(self, args: List[str]) -> Reading:
        spec, operands, i = self.spec, [], 0
        ends = spec.get("command_options", ())
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
                i = end + 1
                continue
            if not word.startswith("-") or word == "-":
                if not spec.get("options_anywhere"):
                    operands += args[i:]
                    break
                operands.append(word)
                i += 1
                continue
            if word.startswith("--") or spec.get("single_dash_long"):
                option, eq, value = word.partition("=")
                if option in self.refused:
                    return self._refuse(option)
                if option in self.valued and not eq:
                    value, i = (args[i + 1] if i + 1 < len(args) else ""), i + 1
                self._value(option, value)
                i += 1
                continue
            i, refused = self._bundle(args, i)
            if refused:
                return self._refuse(refused)
        return self._operands(operands)

    def _bundle(self, args: List[str], i: int):
        """One single-dash word: letters are options until one takes a value (the rest of the
        word, or the next word)."""
        word = args[i]
        for k in range(1, len(word)):
            option, rest = "-" + word[k], word[k + 1 :]
            if option in self.refused:
                return i + 1, option
            if option in self.valued:
                value = rest or (args[i + 1] if i + 1 < len(args) else "")
                self._value(option, value)
                return (i + 1 if rest else i + 2), ""
        return i + 1, ""

    def _operands(self, operands: List[str]) -> Reading:
        spec = self.spec
        refused = spec.get("refused_operand")
        if refused:
            for word in operands[spec.get("operands_from", 0) :]:
                found = re.search(refused, word)
                if found:
                    return self._refuse(f"{word[:40]!r}")
        start = spec.get("shell_operands_from")
        if start is not None and len(operands) > start:
            self.texts.append(" ".join(operands[start:]))
        start = spec.get("command_operands_from")
        if start is not None and len(operands) > start:
            self.commands.append(operands[start:])
        for k, word in enumerate(operands):
            kind = spec.get("subcommands", {}).get(word)
            if kind is None:
                continue
            rest = operands[k + 1 :]
            if kind == "shell" and rest:
                self.texts.append(" ".join(rest))
            elif kind == "setting":
                # `git config [set] KEY VALUE`: an alias (`!TEXT`) or a command setting
                rest = rest[1:] if rest[:1] == ["set"] else rest
                for value in rest[1:]:
                    self.setting(rest[0], value)
            break
        if self.refused_setting:
            return self._refuse(f"setting {self.refused_setting}")
        return Reading(self.texts, self.commands, "")
